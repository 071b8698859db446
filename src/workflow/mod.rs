//! HR's monthly routine: a workspace made by `init`, an inbox watched by
//! `watch`.

pub mod init;
pub mod targets;
pub mod watch;
