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

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use subtle::ConstantTimeEq;

/// The workspace file holding the password hash. The store owns the database; this secret stays
/// out of it so that a copied or exported database never carries it.
pub const PASSWORD_FILE: &str = "webconnector.pass";

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
        "could not read the Web Connector password file {path}: {source}; check its permissions"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
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

    /// Whether `password` matches. Argon2's comparison of the derived keys is constant-time.
    pub fn verify(&self, password: &str) -> bool {
        // Over-long input is refused before hashing so it cannot be used to burn CPU.
        if password.len() > MAX_PASSWORD_CHARS * 4 {
            return false;
        }
        Argon2::default()
            .verify_password(password.as_bytes(), self.phc.as_str())
            .is_ok()
    }

    pub fn path(workspace: &Path) -> PathBuf {
        workspace.join(PASSWORD_FILE)
    }

    pub fn load(workspace: &Path) -> Result<Self, PasswordError> {
        let path = Self::path(workspace);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(PasswordError::NotSet(path));
            }
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
    password: StoredPassword,
    /// Argon2 needs ~19 MiB and tens of milliseconds per check; one at a time keeps a burst of
    /// logins from exhausting memory or every worker's CPU.
    verifying: Mutex<()>,
}

impl Credentials {
    pub fn new(user_name: impl Into<String>, password: StoredPassword) -> Self {
        Credentials {
            user_name: user_name.into(),
            password,
            verifying: Mutex::new(()),
        }
    }

    /// Both checks always run, so the time taken does not tell whether the user name was right.
    pub fn check(&self, user_name: &str, password: &str) -> bool {
        let user_ok: bool = user_name.as_bytes().ct_eq(self.user_name.as_bytes()).into();
        let _one_at_a_time = self
            .verifying
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let password_ok = self.password.verify(password);
        user_ok & password_ok
    }
}

/// Per-source exponential back-off after failed logins: after the n-th failure in a row, the
/// source's attempts are refused unchecked for `base × 2^(n-1)` (at most `max`). Refusing without
/// checking is what makes guessing slow, and it holds no worker thread.
#[derive(Debug)]
pub struct LoginThrottle {
    base: Duration,
    max: Duration,
    sources: Mutex<HashMap<IpAddr, Failures>>,
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    blocked_until: Instant,
}

/// Sources remembered at most; beyond it, the longest-unblocked are forgotten first.
const MAX_TRACKED_SOURCES: usize = 4096;

impl LoginThrottle {
    pub fn new(base: Duration, max: Duration) -> Self {
        LoginThrottle {
            base,
            max: max.max(base),
            sources: Mutex::new(HashMap::new()),
        }
    }

    fn sources(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Failures>> {
        self.sources
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Err(wait)` while the source must wait before its next attempt is checked.
    pub fn check(&self, source: IpAddr, now: Instant) -> Result<(), Duration> {
        match self.sources().get(&source) {
            Some(f) if f.blocked_until > now => Err(f.blocked_until - now),
            _ => Ok(()),
        }
    }

    /// Records a failure; returns how long the source is now refused.
    pub fn failed(&self, source: IpAddr, now: Instant) -> Duration {
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
        assert!(c.check("shop1", "s3cret-pass"));
        assert!(!c.check("shop2", "s3cret-pass"));
        assert!(!c.check("shop1", "s3cret-pasS"));
        assert!(!c.check("", ""));
    }

    #[test]
    fn backs_off_exponentially_per_source() {
        let t = LoginThrottle::new(Duration::from_secs(1), Duration::from_secs(5));
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        let now = Instant::now();
        assert_eq!(t.check(a, now), Ok(()));
        assert_eq!(t.failed(a, now), Duration::from_secs(1));
        assert!(t.check(a, now).is_err());
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
