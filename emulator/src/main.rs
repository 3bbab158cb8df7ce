//! The `knit-emulator` program: runs the emulated cluster in the foreground.
fn main() {}
