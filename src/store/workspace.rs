//! The workspace: one folder holding the customer database (`custsync.db`), the setup
//! (`config.toml`) and a lock file that keeps a second custsync out while one works there.
//!
//! The default folder is the platform data directory (`~/.local/share/custsync` on Linux,
//! `%APPDATA%\custsync\data` on Windows); `--workspace DIR` chooses another. It is created on
//! first use.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{Config, ConfigError};

use super::{Store, StoreError};

/// Why a workspace cannot be used. Nothing in it was changed.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(
        "could not find this system's data folder for the default workspace: choose one with --workspace DIR"
    )]
    NoDataDir,
    #[error(
        "the workspace {} is a file, not a folder: choose a folder with --workspace DIR",
        dir.display()
    )]
    NotAFolder { dir: PathBuf },
    #[error(
        "the workspace folder {} is read-only: custsync keeps its customer database there. Make it writable, or choose another with --workspace DIR",
        dir.display()
    )]
    ReadOnly { dir: PathBuf },
    #[error(
        "could not create or open the workspace folder {} ({detail}): check the path and your permissions, or choose another with --workspace DIR",
        dir.display()
    )]
    Unusable { dir: PathBuf, detail: String },
    #[error(
        "the workspace {} is in use by another custsync{}: finish or close that one first, or use another workspace with --workspace DIR",
        dir.display(),
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Busy {
        dir: PathBuf,
        /// Who holds it, as that custsync wrote it in the lock file.
        holder: Option<String>,
    },
}

/// How long a busy workspace is waited for before it is reported busy.
const BUSY_GRACE: Duration = Duration::from_millis(1500);

/// An open workspace. The lock is held until it is dropped.
#[derive(Debug)]
pub struct Workspace {
    dir: PathBuf,
    _lock: File,
}

const LOCK_FILE: &str = "custsync.lock";
const DB_FILE: &str = "custsync.db";
const CONFIG_FILE: &str = "config.toml";

impl Workspace {
    /// The platform data directory custsync uses when no workspace is given.
    pub fn default_dir() -> Result<PathBuf, WorkspaceError> {
        directories::ProjectDirs::from("", "", "custsync")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or(WorkspaceError::NoDataDir)
    }

    /// Opens `dir` (or the default folder), creating it if needed, and takes its lock.
    pub fn open(dir: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => Self::default_dir()?,
        };
        if dir.exists() && !dir.is_dir() {
            return Err(WorkspaceError::NotAFolder { dir });
        }
        let fail = |e: std::io::Error, dir: &Path| match e.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                WorkspaceError::ReadOnly {
                    dir: dir.to_path_buf(),
                }
            }
            _ => WorkspaceError::Unusable {
                dir: dir.to_path_buf(),
                detail: e.to_string(),
            },
        };
        std::fs::create_dir_all(&dir).map_err(|e| fail(e, &dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| fail(e, &dir))?;
        // A lock that is not a regular file (a pipe, a device) locks nothing.
        if !lock.metadata().map_err(|e| fail(e, &dir))?.is_file() {
            return Err(WorkspaceError::Unusable {
                dir,
                detail: format!("{LOCK_FILE} is not a regular file; remove it"),
            });
        }
        // A lock can be held for an instant by something that is going away: a custsync just
        // exiting, or (the lock being an open file) a child process between fork and exec. Wait a
        // moment before telling the operator the workspace is busy.
        let deadline = Instant::now() + BUSY_GRACE;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TryLockError::WouldBlock) => {
                    let holder = crate::files::read_text_capped(&lock_path, 1024)
                        .ok()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty());
                    return Err(WorkspaceError::Busy { dir, holder });
                }
                Err(TryLockError::Error(e)) => return Err(fail(e, &dir)),
            }
        }
        // The lock file may be writable while the folder is not; SQLite needs the folder for
        // its write-ahead log, so find out now rather than halfway through.
        tempfile::tempfile_in(&dir).map_err(|e| fail(e, &dir))?;
        // Who holds the lock, for the message a second custsync prints. Best effort: the lock
        // works without it.
        let _ = lock.set_len(0).and_then(|_| {
            write!(
                lock,
                "process {}, user {}, since {}",
                std::process::id(),
                super::os_user(),
                chrono::Local::now().format("%Y-%m-%d %H:%M")
            )
        });
        Ok(Workspace { dir, _lock: lock })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.join(CONFIG_FILE)
    }

    /// Opens the customer database, creating or upgrading it.
    pub fn open_store(&self) -> Result<Store, StoreError> {
        Store::open(self.db_path())
    }

    /// The setup; defaults when there is no config.toml yet.
    pub fn load_config(&self) -> Result<Config, ConfigError> {
        Config::load(&self.config_path())
    }

    /// Saves the setup after validating it; nothing is written when it is invalid.
    pub fn save_config(&self, config: &Config) -> Result<(), ConfigError> {
        config.save(&self.config_path())
    }
}
