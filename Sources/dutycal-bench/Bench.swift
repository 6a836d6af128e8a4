print("dutycal-bench: being written")
