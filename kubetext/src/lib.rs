//! kubectl's text conventions, exactly as client-go and apimachinery implement them: the JSONPath
//! template language of `k8s.io/client-go/util/jsonpath` ([`jsonpath`]), the Go `fmt` /
//! `encoding/json` printing of decoded JSON values it relies on ([`gofmt`]), Go's duration syntax
//! ([`duration`]), the human-readable ages of tables and describe views ([`age`]), and `kubectl
//! explain`'s view of an OpenAPI schema ([`explain`]). Shared by the knit CLI (`-o jsonpath=…`,
//! `--sort-by`, duration flags, AGE cells, `knit explain`) and its emulator (CRD printer columns,
//! Table ages, Knative's duration annotations), so the two cannot drift apart.

pub mod age;
pub mod duration;
pub mod explain;
pub mod gofmt;
pub mod jsonpath;
