//! Operations: the engines that verbs share (list, describe, write with dry run and diff, wait,
//! sink resolution, rollout, apply). Each takes plain settings that `commands/`' flag groups resolve into, so
//! nothing here knows clap.

pub mod apply;
pub mod describe;
pub mod list;
pub mod offline;
pub mod rollout;
pub mod sink;
pub mod wait;
pub mod write;
