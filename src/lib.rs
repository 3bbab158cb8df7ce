//! knit: a kn-compatible command-line client for Knative.
//!
//! `main.rs` parses and calls [`run`]; everything else lives in modules named after what they
//! own (see design notes in README.md and ../shared/design/ARCHITECTURE.md).
pub mod completion;
pub mod config;
pub mod help;
pub mod invocation;
pub mod manpages;
pub mod plugin;
pub mod commands {
    pub mod plugin {
        pub mod list;
    }
    pub mod version;
}
