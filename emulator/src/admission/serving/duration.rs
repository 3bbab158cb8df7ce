//! Go's `time.ParseDuration`, for the duration-valued Knative annotations: kubetext's parser,
//! the one the CLI's duration flags use too.

pub use kubetext::duration::{SECOND, parse_go_duration};
