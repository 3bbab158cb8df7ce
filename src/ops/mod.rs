//! Operations: the engines between the commands (flags and `run`) and the client, fed by
//! settings that the flag groups resolve.

pub mod apply;
pub mod rollout;
