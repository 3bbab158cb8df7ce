//! Who knit is to the API server: its field manager name and its User-Agent. A leaf module, so
//! that error rendering can recognise knit's own writes without depending on the client.

/// The field manager of knit's server-side applies, and the prefix of its User-Agent.
pub const FIELD_MANAGER: &str = "knit";

/// The User-Agent knit sends: `knit/v1.2.3 (linux/x86_64)`.
pub fn user_agent() -> String {
    format!(
        "{}/v{} ({}/{})",
        FIELD_MANAGER,
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
