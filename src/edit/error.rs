//! The error of a pure edit: one message, worded as kn words it where kn has the case.

use std::fmt;

/// Why an edit could not be applied. The message is complete and user-facing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(String);

impl EditError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

impl From<String> for EditError {
    fn from(message: String) -> Self {
        Self(message)
    }
}

impl From<&str> for EditError {
    fn from(message: &str) -> Self {
        Self(message.to_string())
    }
}
