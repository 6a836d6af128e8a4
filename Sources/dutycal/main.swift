print("dutycal")
