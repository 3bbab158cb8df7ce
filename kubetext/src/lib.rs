//! kubectl's text templates, exactly as client-go implements them: the JSONPath template language
//! of `k8s.io/client-go/util/jsonpath` ([`jsonpath`]) and the Go `fmt` / `encoding/json` printing
//! of decoded JSON values it relies on ([`gofmt`]); and `kubectl explain`'s view of an OpenAPI
//! schema ([`explain`]). Shared by the knit CLI (`-o jsonpath=…`,
//! `--sort-by`) and its emulator (CRD printer columns).

pub mod explain;
pub mod gofmt;
pub mod jsonpath;
