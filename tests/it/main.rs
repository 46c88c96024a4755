//! it

mod serve;
mod store;
