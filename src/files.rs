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
