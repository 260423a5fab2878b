// SinergiHello: the baseline `sinergi bench startup` measures against — a Swift program that
// loads Foundation and prints a line, built with the same toolchain and flags as `sinergi`.
import Foundation

print("hello")
