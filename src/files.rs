//! Writing files so that a crash or an error leaves either the old file or the new one, never
//! half of one (config.toml, CSV exports, the Web Connector's password hash).

use std::fs::File;
use std::io;
use std::path::Path;

/// Replaces the file at `path` in one step: `write` fills a new file beside it, which is flushed
/// to disk and renamed over `path`. An error or a crash leaves the previous file as it was.
pub fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Only the kind: the temporary file's random name would mean nothing to the reader.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| io::Error::from(e.kind()))?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Why a small file custsync depends on (config.toml, the password hash, a TLS file…) could not
/// be read. The messages name no path: callers say which file it was.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it does not exist")]
    NotFound,
    #[error("it is {0}, not a regular file")]
    NotAFile(&'static str),
    #[error("it is larger than {limit} bytes, far more than such a file ever holds")]
    TooLarge { limit: u64 },
    #[error("it is not UTF-8 text")]
    NotText,
    #[error("it cannot be read ({0})")]
    Io(#[from] io::Error),
}

/// What a path that is not a regular file is, in words; `None` for a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// Checks that `path` (links followed) is a regular file, without opening it: opening a named
/// pipe waits for a writer, and a device like /dev/zero never ends.
pub fn check_regular(path: &Path) -> Result<(), ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    match not_a_file(&meta) {
        Some(what) => Err(ReadError::NotAFile(what)),
        None => Ok(()),
    }
}

/// Opens a regular file for reading, refusing anything else (see [`check_regular`]).
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    check_regular(path)?;
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    // Checked again on what was opened, in case the path changed in between.
    if let Some(what) = not_a_file(&file.metadata()?) {
        return Err(ReadError::NotAFile(what));
    }
    Ok(file)
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    // One byte more than allowed tells "exactly at the limit" from "too large", and bounds the
    // read even if the file grows while it is read.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// [`read_capped`] for a UTF-8 text file.
pub fn read_text_capped(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read_capped(path, limit)?).map_err(|_| ReadError::NotText)
}

/// Makes `path` readable and writable by its owner only (a folder: usable by its owner only).
/// Customer data and traces stay private on a shared computer; a no-op where permissions are not
/// Unix modes.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if std::fs::metadata(path)?.is_dir() {
            0o700
        } else {
            0o600
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to a new or truncated file that only its owner may read (see
/// [`make_private`]).
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_regular_files_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "hello").unwrap();
        assert_eq!(read_text_capped(&f, 5).unwrap(), "hello");
        assert!(matches!(
            read_capped(&f, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            read_capped(dir.path(), 4),
            Err(ReadError::NotAFile("a folder"))
        ));
        assert!(matches!(
            read_capped(&dir.path().join("missing"), 4),
            Err(ReadError::NotFound)
        ));
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_text_capped(&f, 5), Err(ReadError::NotText)));
        #[cfg(unix)]
        assert!(matches!(
            read_capped(Path::new("/dev/zero"), 4),
            Err(ReadError::NotAFile("a device"))
        ));
    }
}
