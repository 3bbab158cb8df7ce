//! The `knit` binary entry point.
fn main() {}
