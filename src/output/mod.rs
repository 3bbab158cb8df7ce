//! Everything knit prints: kn's tables and describe layouts, structured formats, ages, progress
//! and status sentences. Commands never format text themselves; views turn objects into output.

pub mod age;
pub mod describe;
pub mod diff;
pub mod gotemplate;
pub mod goyaml;
pub mod jsonpath;
pub mod messages;
pub mod progress;
pub mod rawjson;
pub mod sort;
pub mod structured;
pub mod table;
pub mod views;
pub mod watch;

pub use describe::DescribeWriter;
pub use structured::{OutputFormat, Printer};
pub use table::Table;
