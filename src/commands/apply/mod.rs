//! `knit apply -f FILE`: server-side apply of Knative objects from files, and the apply flow
//! shared with `knit service apply` ([`server_side`]).

pub mod server_side;
