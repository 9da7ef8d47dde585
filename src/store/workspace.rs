//! The workspace: one folder holding the customer database (`custsync.db`), the setup
//! (`config.toml`) and a lock file that keeps a second custsync out while one works there.
//!
//! One custsync at a time changes a workspace: the screen, `serve`, `sync`, `undo` and
//! `customers import` take its lock ([`Workspace::open`]). Commands that only read (`runs`,
//! `customers export` and `list`) take no lock: they read the database through a [`ReadOnlyStore`]
//! beside whichever custsync holds it ([`Workspace::open_read_only`]). The lock is an exclusive lock on an
//! open file, which std provides on every platform; who holds it is written to a second file,
//! because on Windows a locked file cannot be read by anyone else.
//!
//! The default folder is the platform data directory (`~/.local/share/custsync` on Linux,
//! `%APPDATA%\custsync\data` on Windows); `--workspace DIR` chooses another. It is created on
//! first use.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{ReadOnlyStore, Store, StoreError};

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
        "the workspace {} is in use by another custsync{}, and only one at a time may change it: finish or close that one first (`custsync serve` stops with Ctrl-C), or use another workspace with --workspace DIR. Commands that only read work meanwhile: custsync runs, custsync customers export and list",
        dir.display(),
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Busy {
        dir: PathBuf,
        /// Who holds it, as that custsync wrote it in the holder file.
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
/// Who holds the lock, for the message a second custsync prints.
const HOLDER_FILE: &str = "custsync.holder";
const DB_FILE: &str = "custsync.db";
const CONFIG_FILE: &str = "config.toml";

impl Workspace {
    /// The platform data directory custsync uses when no workspace is given.
    pub fn default_dir() -> Result<PathBuf, WorkspaceError> {
        directories::ProjectDirs::from("", "", "custsync")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or(WorkspaceError::NoDataDir)
    }

    /// The folder `dir` names, or the default one; refused if it is a file. Nothing is created.
    pub fn locate(dir: Option<&Path>) -> Result<PathBuf, WorkspaceError> {
        let dir = match dir {
            Some(d) => d.to_path_buf(),
            None => Self::default_dir()?,
        };
        if dir.exists() && !dir.is_dir() {
            return Err(WorkspaceError::NotAFolder { dir });
        }
        Ok(dir)
    }

    /// The customer database of the workspace folder `dir` (see [`Workspace::locate`]), for
    /// reading only, beside whichever custsync holds the workspace. Takes no lock, changes
    /// nothing, and refuses a database that needs an upgrade.
    pub fn open_read_only(dir: &Path) -> Result<ReadOnlyStore, StoreError> {
        ReadOnlyStore::open(dir.join(DB_FILE))
    }

    /// Opens `dir` (or the default folder), creating it if needed, and takes its lock.
    pub fn open(dir: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let dir = Self::locate(dir)?;
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
        let lock = OpenOptions::new()
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
                    let holder = crate::files::read_text_capped(&dir.join(HOLDER_FILE), 1024)
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
        // Best effort: the lock works without it. Replaced, not written into, so that a pipe
        // put in its place cannot hold custsync up.
        let _ = crate::files::replace_file(&dir.join(HOLDER_FILE), |f| {
            write!(
                f,
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

    /// [`Workspace::open_store`], its pages checked beside the first reads
    /// ([`Store::open_checking_aside`]): for a command whose first writes and first output both
    /// come after reading (a synchronization), never for one that shows or changes the database
    /// at once.
    pub fn open_store_checking_aside(&self) -> Result<Store, StoreError> {
        Store::open_checking_aside(self.db_path())
    }
}
