//! HR's monthly routine: a workspace made by `init`, an inbox watched by
//! `watch`.

pub mod compare;
pub mod init;
pub mod reconcile;
pub mod side;
pub mod targets;
pub mod watch;
