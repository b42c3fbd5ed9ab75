//! Plasma exits on the in-process EVM (being written).
