//! Who may use the service: the one user name, the password kept only as an Argon2id hash, and
//! the per-source slow-down of failed logins.
//!
//! The hash is a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) in the workspace file
//! [`PASSWORD_FILE`]; it carries its own salt and cost parameters, so raising the cost later
//! keeps old hashes verifiable.

use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, Version};
use subtle::ConstantTimeEq;

use crate::files::ReadError;

/// The workspace file holding the password hash. The store owns the database; this secret stays
/// out of it so that a copied or exported database never carries it.
pub const PASSWORD_FILE: &str = "webconnector.pass";

/// A PHC string is about 100 bytes; anything far larger is not one.
const MAX_PASSWORD_FILE_BYTES: u64 = 4096;

/// Longer passwords are refused: hashing cost grows with length, and nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error(
        "no Web Connector password is set for this workspace ({0} is missing); run \
         `custsync webconnector set-password` first"
    )]
    NotSet(PathBuf),
    #[error(
        "could not read the Web Connector password file {path}: {source}; set the password again \
         with `custsync webconnector set-password`, which replaces it"
    )]
    Read { path: PathBuf, source: ReadError },
    #[error(
        "could not save the Web Connector password to {path}: {source}; check that the workspace \
         folder exists and is writable"
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{0} does not hold a valid password hash; set the password again with \
         `custsync webconnector set-password`"
    )]
    Corrupt(PathBuf),
    #[error("the password is empty; choose a password of at least 8 characters")]
    Empty,
    #[error("the password is shorter than 8 characters; choose a longer one")]
    TooShort,
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters; choose a shorter one")]
    TooLong,
    #[error(
        "the password contains control characters (tabs, line breaks…); the Web Connector's \
         password box cannot type them, so choose one without"
    )]
    ControlCharacters,
    #[error(
        "could not hash the password ({0}); nothing was saved — try again, and report it to \
         support if it keeps failing"
    )]
    Hash(String),
}

/// Checks a new password before it is hashed.
pub fn validate_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err(PasswordError::Empty);
    }
    if password.chars().any(char::is_control) {
        return Err(PasswordError::ControlCharacters);
    }
    if chars < 8 {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// A password as a salted Argon2id hash. The plain text is never kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPassword {
    phc: String,
}

impl StoredPassword {
    /// Hashes a new password (validated first) with a fresh random salt.
    pub fn hash(password: &str) -> Result<Self, PasswordError> {
        validate_password(password)?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|e| PasswordError::Hash(e.to_string()))?;
        Ok(StoredPassword {
            phc: hash.to_string(),
        })
    }

    /// Reads a PHC string; `None` unless it is an Argon2 hash this build can verify.
    pub fn from_phc(phc: &str) -> Option<Self> {
        let phc = phc.trim();
        let parsed = PasswordHash::new(phc).ok()?;
        if !parsed.algorithm.as_str().starts_with("argon2") || parsed.hash.is_none() {
            return None;
        }
        Some(StoredPassword {
            phc: phc.to_string(),
        })
    }

    pub fn as_phc(&self) -> &str {
        &self.phc
    }

    /// Whether `password` matches.
    pub fn verify(&self, password: &str) -> bool {
        self.verify_with(password, &mut Vec::new())
    }

    /// [`StoredPassword::verify`] with Argon2's working memory in `blocks`, grown if needed and
    /// left for the next check: allocating ~19 MiB per check is what let a login flood grow
    /// memory by gigabytes. The derived keys are compared in constant time.
    fn verify_with(&self, password: &str, blocks: &mut Vec<Block>) -> bool {
        // Over-long input is refused before hashing so it cannot be used to burn CPU.
        if password.len() > MAX_PASSWORD_CHARS * 4 {
            return false;
        }
        let Ok(hash) = PasswordHash::new(&self.phc) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
            return false;
        };
        let Ok(params) = Params::try_from(&hash) else {
            return false;
        };
        let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
            return false;
        };
        let version = hash
            .version
            .map_or(Ok(Version::default()), Version::try_from);
        let Ok(version) = version else {
            return false;
        };
        let needed = params.block_count();
        if blocks.len() < needed {
            blocks.clear();
            blocks.resize(needed, Block::new());
        }
        let mut out = vec![0u8; expected.len()];
        let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt.as_ref(),
            &mut out,
            &mut blocks[..needed],
        );
        hashed.is_ok() && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
    }

    pub fn path(workspace: &Path) -> PathBuf {
        workspace.join(PASSWORD_FILE)
    }

    pub fn load(workspace: &Path) -> Result<Self, PasswordError> {
        let path = Self::path(workspace);
        let text = match crate::files::read_text_capped(&path, MAX_PASSWORD_FILE_BYTES) {
            Ok(t) => t,
            Err(ReadError::NotFound) => return Err(PasswordError::NotSet(path)),
            Err(ReadError::NotText) => return Err(PasswordError::Corrupt(path)),
            Err(source) => return Err(PasswordError::Read { path, source }),
        };
        Self::from_phc(&text).ok_or(PasswordError::Corrupt(path))
    }

    /// Writes the hash to the workspace, readable by the owner only, replacing any earlier one
    /// in one step (a crash leaves the old or the new hash, never half a file).
    pub fn save(&self, workspace: &Path) -> Result<PathBuf, PasswordError> {
        let path = Self::path(workspace);
        let write_err = |source| PasswordError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(workspace).map_err(write_err)?;
        crate::files::replace_file(&path, |f| {
            // Owner-only before the secret is written.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
            }
            f.write_all(self.phc.as_bytes())?;
            f.write_all(b"\n")
        })
        .map_err(write_err)?;
        Ok(path)
    }
}

/// The user name and password the Web Connector must present.
#[derive(Debug)]
pub struct Credentials {
    user_name: String,
    /// Everything a check uses, behind one lock: Argon2 needs ~19 MiB and tens of milliseconds
    /// per check, so checks run one at a time and share one block buffer.
    state: Mutex<CheckState>,
}

#[derive(Debug)]
struct CheckState {
    password: StoredPassword,
    /// The workspace file the hash came from, and how it looked then: a `set-password` while
    /// custsync serves is picked up at the next login.
    file: Option<(PathBuf, Option<FileStamp>)>,
    /// Argon2's working memory, allocated at the first check and kept for every later one.
    /// Freeing it after each check is what let memory grow: each connection thread allocated
    /// its 19 MiB afresh, and the allocator kept a copy per thread arena (a login flood took
    /// 7 MB to 2.2 GB; freeing after each burst still grew by ~19 MiB per arena).
    blocks: Vec<Block>,
}

/// Enough of a file's metadata to notice that it was replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

impl Credentials {
    pub fn new(user_name: impl Into<String>, password: StoredPassword) -> Self {
        Self::with_state(user_name.into(), password, None)
    }

    /// The workspace's password ([`StoredPassword::load`]), read again whenever the file
    /// changes, so that `custsync webconnector set-password` takes effect without a restart.
    pub fn from_workspace(
        user_name: impl Into<String>,
        workspace: &Path,
    ) -> Result<Self, PasswordError> {
        let path = StoredPassword::path(workspace);
        let stamp = FileStamp::of(&path);
        let password = StoredPassword::load(workspace)?;
        Ok(Self::with_state(
            user_name.into(),
            password,
            Some((path, stamp)),
        ))
    }

    fn with_state(
        user_name: String,
        password: StoredPassword,
        file: Option<(PathBuf, Option<FileStamp>)>,
    ) -> Self {
        Credentials {
            user_name,
            state: Mutex::new(CheckState {
                password,
                file,
                blocks: Vec::new(),
            }),
        }
    }

    /// Whether the user name and password are right. Both checks always run, so the time taken
    /// does not tell whether the user name was right. `Err`: the password file was changed and
    /// cannot be used; every login is refused until it is set again.
    pub fn check(&self, user_name: &str, password: &str) -> Result<bool, PasswordError> {
        let user_ok: bool = user_name.as_bytes().ct_eq(self.user_name.as_bytes()).into();
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.reload_if_changed()?;
        let CheckState {
            password: stored,
            blocks,
            ..
        } = &mut *state;
        Ok(user_ok & stored.verify_with(password, blocks))
    }
}

impl CheckState {
    fn reload_if_changed(&mut self) -> Result<(), PasswordError> {
        let Some((path, stamp)) = &mut self.file else {
            return Ok(());
        };
        let now = FileStamp::of(path);
        if now == *stamp {
            return Ok(());
        }
        let workspace = path.parent().unwrap_or(Path::new("."));
        self.password = StoredPassword::load(workspace)?;
        *stamp = now;
        Ok(())
    }
}

/// Per-source exponential back-off after failed logins, under a budget of password checks for
/// all sources together.
///
/// After the n-th failure in a row, a source's attempts are refused unchecked for
/// `base × 2^(n-1)` (at most `max`). Refusing without checking is what makes guessing slow, and
/// it holds no worker thread. A source per guess (any 127/8 address locally, IPv6 elsewhere)
/// escapes that, so checks are also rationed overall: `burst` at once, then one per
/// `check_interval`. Sources that logged in lately are not rationed, so a flood from elsewhere
/// does not lock out the real Web Connector.
#[derive(Debug)]
pub struct LoginThrottle {
    base: Duration,
    max: Duration,
    sources: Mutex<HashMap<IpAddr, Failures>>,
    budget: Mutex<CheckBudget>,
    trusted: Mutex<Vec<IpAddr>>,
}

/// Why a login is refused without checking it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This source failed lately; it may try again after the wait.
    Source(Duration),
    /// Too many checks from everywhere; the next is possible after the wait.
    Everyone(Duration),
}

/// A token bucket kept as the time its next token is due (GCRA).
#[derive(Debug)]
struct CheckBudget {
    interval: Duration,
    burst: u32,
    next_due: Instant,
}

impl CheckBudget {
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let slack = self.interval.saturating_mul(self.burst.saturating_sub(1));
        let due = self.next_due.max(now);
        if due > now + slack {
            return Err(due - now - slack);
        }
        self.next_due = due + self.interval;
        Ok(())
    }
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    blocked_until: Instant,
}

/// Sources remembered at most; beyond it, the longest-unblocked are forgotten first.
const MAX_TRACKED_SOURCES: usize = 4096;

/// Sources remembered as having logged in lately.
const MAX_TRUSTED_SOURCES: usize = 8;

impl LoginThrottle {
    /// `check_interval` and `burst` ration password checks across all sources.
    pub fn new(base: Duration, max: Duration, check_interval: Duration, burst: u32) -> Self {
        LoginThrottle {
            base,
            max: max.max(base),
            sources: Mutex::new(HashMap::new()),
            budget: Mutex::new(CheckBudget {
                interval: check_interval,
                burst: burst.max(1),
                next_due: Instant::now(),
            }),
            trusted: Mutex::new(Vec::new()),
        }
    }

    fn sources(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Failures>> {
        self.sources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn trusted(&self) -> std::sync::MutexGuard<'_, Vec<IpAddr>> {
        self.trusted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Ok` when the source's password may be checked now (which uses up a check of the
    /// budget); otherwise why not and for how long.
    pub fn check(&self, source: IpAddr, now: Instant) -> Result<(), Refusal> {
        if let Some(f) = self.sources().get(&source)
            && f.blocked_until > now
        {
            return Err(Refusal::Source(f.blocked_until - now));
        }
        if self.trusted().contains(&source) {
            return Ok(());
        }
        self.budget
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take(now)
            .map_err(Refusal::Everyone)
    }

    /// Records a failure; returns how long the source is now refused.
    pub fn failed(&self, source: IpAddr, now: Instant) -> Duration {
        self.trusted().retain(|ip| *ip != source);
        let mut sources = self.sources();
        if sources.len() >= MAX_TRACKED_SOURCES && !sources.contains_key(&source) {
            let forget_before = now.checked_sub(self.max).unwrap_or(now);
            sources.retain(|_, f| f.blocked_until > forget_before);
            if sources.len() >= MAX_TRACKED_SOURCES
                && let Some(oldest) = sources
                    .iter()
                    .min_by_key(|(_, f)| f.blocked_until)
                    .map(|(ip, _)| *ip)
            {
                sources.remove(&oldest);
            }
        }
        let entry = sources.entry(source).or_insert(Failures {
            count: 0,
            blocked_until: now,
        });
        entry.count = entry.count.saturating_add(1);
        let factor = 1u32 << entry.count.saturating_sub(1).min(16);
        let wait = self.base.saturating_mul(factor).min(self.max);
        entry.blocked_until = now + wait;
        wait
    }

    pub fn succeeded(&self, source: IpAddr) {
        self.sources().remove(&source);
        let mut trusted = self.trusted();
        trusted.retain(|ip| *ip != source);
        if trusted.len() >= MAX_TRUSTED_SOURCES {
            trusted.remove(0);
        }
        trusted.push(source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn hashes_verify_and_refuse() {
        let p = StoredPassword::hash("correct horse").unwrap();
        assert!(p.as_phc().starts_with("$argon2id$"));
        assert!(!p.as_phc().contains("correct horse"));
        assert!(p.verify("correct horse"));
        assert!(!p.verify("correct horsf"));
        assert_ne!(StoredPassword::hash("correct horse").unwrap(), p, "salted");
        assert_eq!(StoredPassword::from_phc(p.as_phc()), Some(p));
        assert_eq!(StoredPassword::from_phc("plain text"), None);
    }

    #[test]
    fn validates_new_passwords() {
        assert!(matches!(validate_password(""), Err(PasswordError::Empty)));
        assert!(matches!(
            validate_password("short"),
            Err(PasswordError::TooShort)
        ));
        assert!(matches!(
            validate_password("tab\there!"),
            Err(PasswordError::ControlCharacters)
        ));
        assert!(matches!(
            validate_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)),
            Err(PasswordError::TooLong)
        ));
        assert!(validate_password("Grüße aus Köln").is_ok());
    }

    #[test]
    fn saves_and_loads_from_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            StoredPassword::load(dir.path()),
            Err(PasswordError::NotSet(_))
        ));
        let p = StoredPassword::hash("open sesame").unwrap();
        let path = p.save(dir.path()).unwrap();
        assert_eq!(StoredPassword::load(dir.path()).unwrap(), p);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read the hash");
        }
        std::fs::write(&path, "garbage").unwrap();
        assert!(matches!(
            StoredPassword::load(dir.path()),
            Err(PasswordError::Corrupt(_))
        ));
    }

    #[test]
    fn credentials_need_both_user_and_password() {
        let c = Credentials::new("shop1", StoredPassword::hash("s3cret-pass").unwrap());
        assert!(c.check("shop1", "s3cret-pass").unwrap());
        assert!(!c.check("shop2", "s3cret-pass").unwrap());
        assert!(!c.check("shop1", "s3cret-pasS").unwrap());
        assert!(!c.check("", "").unwrap());
        let kept = c.state.lock().unwrap().blocks.as_ptr();
        assert!(c.check("shop1", "s3cret-pass").unwrap());
        assert_eq!(
            c.state.lock().unwrap().blocks.as_ptr(),
            kept,
            "one buffer, reused"
        );
    }

    #[test]
    fn a_new_password_file_is_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        StoredPassword::hash("first one")
            .unwrap()
            .save(dir.path())
            .unwrap();
        let c = Credentials::from_workspace("shop1", dir.path()).unwrap();
        assert!(c.check("shop1", "first one").unwrap());
        StoredPassword::hash("second one, longer")
            .unwrap()
            .save(dir.path())
            .unwrap();
        assert!(c.check("shop1", "second one, longer").unwrap());
        assert!(!c.check("shop1", "first one").unwrap());
        std::fs::write(StoredPassword::path(dir.path()), "garbage").unwrap();
        assert!(matches!(
            c.check("shop1", "second one, longer"),
            Err(PasswordError::Corrupt(_))
        ));
    }

    #[test]
    fn rations_checks_across_sources_but_not_for_a_trusted_one() {
        let t = LoginThrottle::new(
            Duration::from_secs(1),
            Duration::from_secs(5),
            Duration::from_millis(500),
            3,
        );
        let now = Instant::now();
        let ip = |n| IpAddr::V4(Ipv4Addr::new(127, 0, 1, n));
        for n in 0..3 {
            assert_eq!(t.check(ip(n), now), Ok(()), "the burst");
        }
        assert_eq!(
            t.check(ip(3), now),
            Err(Refusal::Everyone(Duration::from_millis(500)))
        );
        let later = now + Duration::from_millis(500);
        assert_eq!(t.check(ip(4), later), Ok(()));
        assert!(matches!(t.check(ip(5), later), Err(Refusal::Everyone(_))));
        t.succeeded(ip(9));
        assert_eq!(t.check(ip(9), later), Ok(()), "logged in lately");
        t.failed(ip(9), later);
        assert!(matches!(t.check(ip(9), later), Err(Refusal::Source(_))));
    }

    #[test]
    fn backs_off_exponentially_per_source() {
        let t = LoginThrottle::new(
            Duration::from_secs(1),
            Duration::from_secs(5),
            Duration::ZERO,
            1,
        );
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        let now = Instant::now();
        assert_eq!(t.check(a, now), Ok(()));
        assert_eq!(t.failed(a, now), Duration::from_secs(1));
        assert_eq!(
            t.check(a, now),
            Err(Refusal::Source(Duration::from_secs(1)))
        );
        assert_eq!(t.check(b, now), Ok(()), "other sources are not slowed");
        let later = now + Duration::from_secs(1);
        assert_eq!(t.check(a, later), Ok(()));
        assert_eq!(t.failed(a, later), Duration::from_secs(2));
        assert_eq!(t.failed(a, later), Duration::from_secs(4));
        assert_eq!(t.failed(a, later), Duration::from_secs(5), "capped");
        t.succeeded(a);
        assert_eq!(t.check(a, later), Ok(()));
    }
}
