//! End-to-end tests: the real app binary driven over WebDriver under Xvfb.
