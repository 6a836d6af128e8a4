// The start-up floor dutycal-bench compares whole-process figures with: a Swift program
// that loads Foundation and prints one line.
import Foundation

print("hello from \(ProcessInfo.processInfo.processName)")
