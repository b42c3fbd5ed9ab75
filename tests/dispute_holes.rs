//! Known holes of earlier implementations and bad input (being written).

#[test]
fn placeholder_builds() {}
