//! The HTTP(S) server the Web Connector calls: a small synchronous HTTP/1.1 server on std
//! sockets, `httparse` for request heads and rustls for TLS.
//!
//! Why not a server crate: `tiny_http` (the usual synchronous choice) pins rustls 0.20, which
//! has an unfixed advisory (RUSTSEC-2024-0336), has no per-connection time limits and grows a
//! thread per connection. The Web Connector needs very little HTTP — a POST with a
//! Content-Length, and a GET for the support page — so the whole server is this file.
//!
//! Defences, so that whoever reaches the port cannot exhaust the machine or lock out the real Web
//! Connector:
//! - one thread per connection, at most `max_connections` open at once. When all are taken, the
//!   connection that has been sending its request the longest is dropped to make room: a
//!   trickling or silent client is always the oldest, while the Web Connector sends each call at
//!   once. Only when every connection is being answered is a newcomer told 503.
//! - deadlines counted from the moment the connection is accepted: the request head (TLS
//!   handshake included) within `head_timeout`, the whole request within `request_timeout`
//!   whatever length it declares, and a minimum rate for the body after a grace period.
//! - a body limit checked against Content-Length before anything is read (413, with
//!   `100 Continue` withheld), and a ceiling on the bodies held in memory at once, counted as
//!   they arrive (503 beyond it).
//! - one request per connection.

use std::io::{self, Read, Write};
use std::net::ToSocketAddrs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, StreamOwned};

use super::setup::WebConnectorConfig;

use super::service::Service;
use super::tls::{self, TlsFiles};

/// Sizes and times that bound what one client can cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// Largest request body accepted. A page of 500 customers is well under 2 MB of escaped
    /// qbXML; 16 MiB leaves room without letting a client make custsync hold 50 MB.
    pub max_body_bytes: usize,
    pub max_head_bytes: usize,
    /// Time allowed from accepting the connection (TLS handshake included) to the end of the
    /// request head.
    pub head_timeout: Duration,
    /// Time allowed from accepting the connection to the end of the body, whatever its length:
    /// a few megabytes take seconds even on a slow line.
    pub request_timeout: Duration,
    /// Longest silence while reading.
    pub idle_timeout: Duration,
    /// After this much time in the body, it must be arriving at `min_body_rate` bytes/second.
    pub body_grace: Duration,
    pub min_body_rate: u64,
    pub write_timeout: Duration,
    /// How long unread input is drained after an early answer (413, 400…) so the client can
    /// read the answer instead of getting a connection reset.
    pub linger: Duration,
    /// Connections open at once, each on its own thread.
    pub max_connections: usize,
    /// Request bodies held in memory at once, all connections together.
    pub max_body_memory: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_body_bytes: 16 * 1024 * 1024,
            max_head_bytes: 16 * 1024,
            head_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(10),
            body_grace: Duration::from_secs(5),
            min_body_rate: 8 * 1024,
            write_timeout: Duration::from_secs(30),
            linger: Duration::from_secs(2),
            max_connections: 64,
            max_body_memory: 64 * 1024 * 1024,
        }
    }
}

/// Where and how to listen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerOptions {
    /// `host:port`; loopback unless `tls` is set.
    pub listen: String,
    /// The SOAP endpoint's URL path, e.g. `/qbwc`.
    pub path: String,
    pub tls: Option<TlsFiles>,
    pub limits: HttpLimits,
}

impl ServerOptions {
    /// From Setup. Relative TLS paths are taken from the workspace folder.
    pub fn from_config(cfg: &WebConnectorConfig, workspace: &Path) -> Result<Self, ServeError> {
        let resolve = |p: &PathBuf| {
            if p.is_absolute() {
                p.clone()
            } else {
                workspace.join(p)
            }
        };
        let tls = match (&cfg.tls_cert, &cfg.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert_chain: resolve(cert),
                key: resolve(key),
            }),
            (None, None) => None,
            _ => return Err(ServeError::TlsIncomplete),
        };
        Ok(ServerOptions {
            listen: cfg.listen.clone(),
            path: cfg.path.clone(),
            tls,
            limits: HttpLimits::default(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "\"{listen}\" is not an address to listen on ({reason}); use host:port, e.g. \
         127.0.0.1:8089"
    )]
    BadAddress { listen: String, reason: String },
    #[error(
        "refusing to listen on {listen} without HTTPS: the Web Connector's password would cross \
         the network in clear text (and the Web Connector itself refuses plain http except on \
         localhost). Set tls_cert and tls_key in config.toml, or listen on 127.0.0.1"
    )]
    NotLoopbackWithoutTls { listen: String },
    #[error("HTTPS needs both tls_cert and tls_key in config.toml; one of them is missing")]
    TlsIncomplete,
    #[error("TLS file {path}: {detail}")]
    TlsFile { path: PathBuf, detail: String },
    #[error("HTTPS cannot be set up: {0}")]
    Tls(String),
    #[error(
        "the endpoint path \"{0}\" must start with / and contain no spaces, ? or #; e.g. /qbwc"
    )]
    BadPath(String),
    #[error(
        "could not listen on {listen}: {source}; another program may be using the port — choose \
         another in config.toml (listen)"
    )]
    Bind { listen: String, source: io::Error },
    #[error(
        "could not start the server threads ({0}); the computer may be short of memory — close \
         other programs and try again"
    )]
    Thread(io::Error),
    /// No password (or an unreadable one) in the workspace.
    #[error(transparent)]
    Password(#[from] super::auth::PasswordError),
}

/// A running server; stops when shut down or dropped.
pub struct RunningServer {
    local_addr: SocketAddr,
    https: bool,
    path: String,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    conns: Arc<Conns>,
}

impl RunningServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The endpoint URL with the address actually bound, e.g. `http://127.0.0.1:8089/qbwc`.
    pub fn url(&self) -> String {
        format!(
            "{}://{}{}",
            if self.https { "https" } else { "http" },
            self.local_addr,
            self.path
        )
    }

    /// Stops accepting, drops the connections still sending a request, lets those being
    /// answered finish, and waits for them.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the acceptor blocked in accept().
        let wake = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.local_addr.port())
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.local_addr.port())
            }
            _ => self.local_addr,
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        self.conns.close_all();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Checks the address rules without binding: loopback, or HTTPS.
pub fn check_listen(listen: &str, https: bool) -> Result<Vec<SocketAddr>, ServeError> {
    let addrs: Vec<SocketAddr> = listen
        .to_socket_addrs()
        .map_err(|e| ServeError::BadAddress {
            listen: listen.to_string(),
            reason: e.to_string(),
        })?
        .collect();
    if addrs.is_empty() {
        return Err(ServeError::BadAddress {
            listen: listen.to_string(),
            reason: "it resolves to no address".into(),
        });
    }
    if !https && !addrs.iter().all(|a| a.ip().is_loopback()) {
        return Err(ServeError::NotLoopbackWithoutTls {
            listen: listen.to_string(),
        });
    }
    Ok(addrs)
}

fn check_path(path: &str) -> Result<(), ServeError> {
    let ok = path.starts_with('/')
        && !path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    if ok {
        Ok(())
    } else {
        Err(ServeError::BadPath(path.to_string()))
    }
}

/// Binds and starts serving `service` in the background.
pub fn serve(opts: &ServerOptions, service: Arc<Service>) -> Result<RunningServer, ServeError> {
    check_path(&opts.path)?;
    let tls_config = opts.tls.as_ref().map(tls::server_config).transpose()?;
    let addrs = check_listen(&opts.listen, tls_config.is_some())?;
    let listener = TcpListener::bind(&addrs[..]).map_err(|source| ServeError::Bind {
        listen: opts.listen.clone(),
        source,
    })?;
    let local_addr = listener.local_addr().map_err(|source| ServeError::Bind {
        listen: opts.listen.clone(),
        source,
    })?;
    let path = opts.path.trim_end_matches('/');
    let ctx = Arc::new(Ctx {
        service,
        path: path.to_string(),
        support_path: format!("{path}/support"),
        limits: opts.limits.clone(),
        tls: tls_config,
        bodies: BodyMemory {
            used: AtomicUsize::new(0),
            limit: opts.limits.max_body_memory.max(opts.limits.max_body_bytes),
        },
    });
    let stop = Arc::new(AtomicBool::new(false));
    let conns = Arc::new(Conns::new(opts.limits.max_connections));
    let acceptor = {
        let stop = Arc::clone(&stop);
        let conns = Arc::clone(&conns);
        let ctx = Arc::clone(&ctx);
        std::thread::Builder::new()
            .name("qbwc-accept".into())
            .spawn(move || accept_loop(&listener, &ctx, &conns, &stop))
            .map_err(ServeError::Thread)?
    };
    Ok(RunningServer {
        local_addr,
        https: ctx.tls.is_some(),
        path: opts.path.clone(),
        stop,
        acceptor: Some(acceptor),
        conns,
    })
}

struct Ctx {
    service: Arc<Service>,
    /// Without a trailing slash.
    path: String,
    /// The `.qwc` AppSupport page.
    support_path: String,
    limits: HttpLimits,
    tls: Option<Arc<ServerConfig>>,
    bodies: BodyMemory,
}

/// Stack of a connection's thread: parsing, TLS and the service need far less than the
/// default 2 MiB, and a small stack keeps many open connections cheap.
const CONNECTION_STACK: usize = 512 * 1024;

fn accept_loop(listener: &TcpListener, ctx: &Arc<Ctx>, conns: &Arc<Conns>, stop: &AtomicBool) {
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors and the like: pause instead of spinning.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let Some(guard) = conns.admit(&stream) else {
            refuse_busy(stream, &ctx.limits);
            continue;
        };
        let ctx = Arc::clone(ctx);
        // A thread that cannot start drops its closure, and with it the connection and its slot.
        let _ = std::thread::Builder::new()
            .name("qbwc-http".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                // A bug must cost one connection, not the server.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handle_connection(stream, peer, &ctx, &guard);
                }));
            });
    }
}

/// The open connections, oldest first, and which of them may be dropped to make room.
struct Conns {
    table: Mutex<Vec<Slot>>,
    limit: usize,
    next_id: AtomicU64,
    /// Signalled whenever a connection ends.
    ended: Condvar,
}

struct Slot {
    id: u64,
    /// Still sending its request (or being drained after an early answer): may be dropped.
    sheddable: bool,
    /// A handle on the socket to shut it down from another thread.
    tcp: TcpStream,
}

/// A connection's place in [`Conns`], given up when its thread ends.
struct ConnGuard {
    conns: Arc<Conns>,
    id: u64,
    accepted: Instant,
}

impl Conns {
    fn new(limit: usize) -> Self {
        Conns {
            table: Mutex::new(Vec::new()),
            limit: limit.max(1),
            next_id: AtomicU64::new(0),
            ended: Condvar::new(),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A place for a new connection, made by dropping the oldest one still sending its request
    /// if all are taken. `None`: every connection is being answered.
    fn admit(self: &Arc<Self>, tcp: &TcpStream) -> Option<ConnGuard> {
        let handle = tcp.try_clone().ok()?;
        let mut table = self.table();
        if table.len() >= self.limit {
            let oldest = table.iter().position(|s| s.sheddable)?;
            let shed = table.remove(oldest);
            let _ = shed.tcp.shutdown(Shutdown::Both);
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        table.push(Slot {
            id,
            sheddable: true,
            tcp: handle,
        });
        Some(ConnGuard {
            conns: Arc::clone(self),
            id,
            accepted: Instant::now(),
        })
    }

    fn set_sheddable(&self, id: u64, sheddable: bool) {
        if let Some(slot) = self.table().iter_mut().find(|s| s.id == id) {
            slot.sheddable = sheddable;
        }
    }

    fn leave(&self, id: u64) {
        self.table().retain(|s| s.id != id);
        self.ended.notify_all();
    }

    /// Drops the connections still sending, and waits for those being answered.
    fn close_all(&self) {
        let mut table = self.table();
        for slot in table.iter().filter(|s| s.sheddable) {
            let _ = slot.tcp.shutdown(Shutdown::Both);
        }
        while !table.is_empty() {
            table = self
                .ended
                .wait(table)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for slot in table.iter().filter(|s| s.sheddable) {
                let _ = slot.tcp.shutdown(Shutdown::Both);
            }
        }
    }
}

impl ConnGuard {
    fn sheddable(&self, yes: bool) {
        self.conns.set_sheddable(self.id, yes);
    }
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.conns.leave(self.id);
    }
}

/// The request bodies held at once, counted as they arrive.
struct BodyMemory {
    used: AtomicUsize,
    limit: usize,
}

impl BodyMemory {
    /// Counts `n` more bytes; `false` (nothing counted) when that would pass the limit.
    fn take(&self, n: usize) -> bool {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                used.checked_add(n).filter(|&u| u <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::SeqCst);
    }
}

/// A body being read, whose bytes count against [`BodyMemory`] until it is dropped.
struct Body<'a> {
    bytes: Vec<u8>,
    counted: usize,
    memory: &'a BodyMemory,
}

impl Body<'_> {
    fn extend(&mut self, chunk: &[u8]) -> bool {
        if !self.memory.take(chunk.len()) {
            return false;
        }
        self.counted += chunk.len();
        self.bytes.extend_from_slice(chunk);
        true
    }
}

impl Drop for Body<'_> {
    fn drop(&mut self) {
        self.memory.give_back(self.counted);
    }
}

/// Every connection is being answered: say so at once rather than queue for ever.
fn refuse_busy(mut stream: TcpStream, limits: &HttpLimits) {
    let _ = stream.set_write_timeout(Some(limits.write_timeout.min(Duration::from_secs(1))));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\
          Connection: close\r\n\r\n",
    );
    let _ = stream.shutdown(Shutdown::Both);
}

/// A TCP stream whose reads fail once a deadline passes, however the client trickles bytes.
struct DeadlineStream {
    tcp: TcpStream,
    deadline: Instant,
    idle: Duration,
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"));
        }
        self.tcp.set_read_timeout(Some(left.min(self.idle)))?;
        self.tcp.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tcp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

/// A client stream, plain or TLS, whose read deadline can be moved.
trait Client: Read + Write {
    fn set_deadline(&mut self, deadline: Instant);
    /// Ends the response: TLS close_notify, then the write half is shut.
    fn finish(&mut self);
}

impl Client for DeadlineStream {
    fn set_deadline(&mut self, deadline: Instant) {
        self.deadline = deadline;
    }

    fn finish(&mut self) {
        let _ = self.tcp.flush();
        let _ = self.tcp.shutdown(Shutdown::Write);
    }
}

impl Client for StreamOwned<ServerConnection, DeadlineStream> {
    fn set_deadline(&mut self, deadline: Instant) {
        self.sock.deadline = deadline;
    }

    fn finish(&mut self) {
        self.conn.send_close_notify();
        let _ = self.flush();
        self.sock.finish();
    }
}

fn handle_connection(tcp: TcpStream, peer: SocketAddr, ctx: &Ctx, guard: &ConnGuard) {
    let limits = &ctx.limits;
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_write_timeout(Some(limits.write_timeout));
    let stream = DeadlineStream {
        tcp,
        deadline: guard.accepted + limits.head_timeout,
        idle: limits.idle_timeout,
    };
    match &ctx.tls {
        None => {
            let mut s = stream;
            serve_one(&mut s, peer, ctx, guard);
        }
        Some(cfg) => {
            let Ok(conn) = ServerConnection::new(Arc::clone(cfg)) else {
                return;
            };
            let mut s = StreamOwned::new(conn, stream);
            serve_one(&mut s, peer, ctx, guard);
        }
    }
}

/// A response to write.
struct Answer {
    status: u16,
    content_type: &'static str,
    extra_headers: &'static str,
    body: Vec<u8>,
}

impl Answer {
    fn text(status: u16, message: &str) -> Self {
        Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            extra_headers: "",
            body: format!("{message}\n").into_bytes(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        503 => "Service Unavailable",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn write_answer(s: &mut dyn Client, a: &Answer) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Cache-Control: no-store\r\n\
         Connection: close\r\n\r\n",
        a.status,
        reason(a.status),
        a.content_type,
        a.body.len(),
        a.extra_headers,
    );
    s.write_all(head.as_bytes())?;
    s.write_all(&a.body)?;
    s.flush()
}

/// Answers, closes our side and drains what the client is still sending (bounded in time and
/// amount), so that it reads the answer instead of a connection reset. Draining may be cut
/// short to make room for another connection.
fn answer_and_close(s: &mut dyn Client, a: &Answer, limits: &HttpLimits, guard: &ConnGuard) {
    if write_answer(s, a).is_err() {
        return;
    }
    s.finish();
    guard.sheddable(true);
    s.set_deadline(Instant::now() + limits.linger);
    let mut sink = [0u8; 16 * 1024];
    let mut drained: u64 = 0;
    while drained < 64 * 1024 * 1024 {
        match s.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n as u64,
        }
    }
}

/// Reads one request and answers it.
fn serve_one(s: &mut dyn Client, peer: SocketAddr, ctx: &Ctx, guard: &ConnGuard) {
    let limits = &ctx.limits;
    let close = |s: &mut dyn Client, a: &Answer| answer_and_close(s, a, limits, guard);
    let (head, rest) = match read_head(s, limits) {
        Ok(Some(x)) => x,
        Ok(None) => return,
        Err(a) => return close(s, &a),
    };
    let req = match parse_head(&head) {
        Ok(r) => r,
        Err(a) => return close(s, &a),
    };
    let path = req
        .target
        .split('?')
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    let answer = match req.method.as_str() {
        "POST" if path == ctx.path => {
            let len = match body_length(&req, limits) {
                Ok(len) => len,
                Err(a) => return close(s, &a),
            };
            if req.expect_continue && s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err() {
                return;
            }
            let mut body = Body {
                bytes: Vec::new(),
                counted: 0,
                memory: &ctx.bodies,
            };
            let read = read_body(s, &mut body, &rest, len, limits, guard.accepted);
            if let Err(a) = read {
                return close(s, &a);
            }
            guard.sheddable(false);
            let reply = ctx.service.handle(&body.bytes, peer.ip());
            drop(body);
            Answer {
                status: reply.status,
                content_type: "text/xml; charset=utf-8",
                extra_headers: "",
                body: reply.body.into_bytes(),
            }
        }
        "GET" | "HEAD" if path == ctx.path || path == ctx.support_path => Answer {
            status: 200,
            content_type: "text/html; charset=utf-8",
            extra_headers: "",
            body: SUPPORT_PAGE.as_bytes().to_vec(),
        },
        "POST" | "GET" | "HEAD" => Answer::text(
            404,
            "Not found. The Web Connector endpoint is elsewhere; check the .qwc file's AppURL.",
        ),
        _ => Answer {
            extra_headers: "Allow: GET, HEAD, POST\r\n",
            ..Answer::text(405, "Only GET and POST are served here.")
        },
    };
    let answer = if req.method == "HEAD" {
        Answer {
            body: Vec::new(),
            ..answer
        }
    } else {
        answer
    };
    guard.sheddable(false);
    close(s, &answer);
}

const SUPPORT_PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>custsync</title></head>\
<body><h1>custsync – QuickBooks Web Connector service</h1><p>This address is used by the QuickBooks \
Web Connector. To connect, add the custsync .qwc file to the Web Connector (see \"Connect to real \
QuickBooks\" in custsync's README).</p></body></html>\n";

/// Reads up to the end of the head. `Ok(None)`: the client went away without a request.
#[allow(clippy::type_complexity)]
fn read_head(
    s: &mut dyn Client,
    limits: &HttpLimits,
) -> Result<Option<(Vec<u8>, Vec<u8>)>, Answer> {
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(&buf) {
            let rest = buf.split_off(end);
            return Ok(Some((buf, rest)));
        }
        if buf.len() > limits.max_head_bytes {
            return Err(Answer::text(431, "The request head is too large."));
        }
        match s.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) && !buf.is_empty() => {
                return Err(Answer::text(
                    408,
                    "The request head took too long to arrive.",
                ));
            }
            Err(_) => return Ok(None),
        }
    }
}

/// Where the head ends: the first empty line, its lines ended by CRLF or (as RFC 9112 allows a
/// server to accept) a bare LF.
fn find_head_end(buf: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', buf).find_map(|i| match &buf[i + 1..] {
        [b'\n', ..] => Some(i + 2),
        [b'\r', b'\n', ..] => Some(i + 3),
        _ => None,
    })
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

struct Head {
    method: String,
    target: String,
    content_length: Option<u64>,
    chunked: bool,
    expect_continue: bool,
}

fn parse_head(head: &[u8]) -> Result<Head, Answer> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => {
            return Err(Answer::text(400, "The request head is incomplete."));
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Answer::text(431, "The request has too many header fields."));
        }
        Err(e) => {
            return Err(Answer::text(
                400,
                &format!("The request head is malformed: {e}."),
            ));
        }
    }
    let mut out = Head {
        method: req.method.unwrap_or("").to_string(),
        target: req.path.unwrap_or("").to_string(),
        content_length: None,
        chunked: false,
        expect_continue: false,
    };
    for h in req.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        let value = value.trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            let n: u64 = value
                .parse()
                .map_err(|_| Answer::text(400, "Content-Length is not a number."))?;
            if out.content_length.is_some_and(|m| m != n) {
                return Err(Answer::text(400, "Conflicting Content-Length headers."));
            }
            out.content_length = Some(n);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            out.chunked = true;
        } else if h.name.eq_ignore_ascii_case("expect") {
            if value.eq_ignore_ascii_case("100-continue") {
                out.expect_continue = true;
            } else {
                return Err(Answer::text(417, "Unsupported Expect header."));
            }
        }
    }
    Ok(out)
}

fn body_length(req: &Head, limits: &HttpLimits) -> Result<usize, Answer> {
    if req.chunked {
        return Err(Answer::text(
            411,
            "Send the request with a Content-Length (chunked bodies are not accepted).",
        ));
    }
    let Some(len) = req.content_length else {
        return Err(Answer::text(411, "A Content-Length header is required."));
    };
    match usize::try_from(len) {
        Ok(n) if n <= limits.max_body_bytes => Ok(n),
        _ => Err(Answer::text(
            413,
            &format!(
                "The request body ({len} bytes) is larger than the {} bytes custsync accepts; \
                 ask for smaller pages (a lower page size in Setup).",
                limits.max_body_bytes
            ),
        )),
    }
}

/// Reads a body of `len` bytes, `already` of which came with the head, before the whole
/// request's deadline and at no less than the minimum rate.
fn read_body(
    s: &mut dyn Client,
    body: &mut Body<'_>,
    already: &[u8],
    len: usize,
    limits: &HttpLimits,
    accepted: Instant,
) -> Result<(), Answer> {
    let busy = || {
        Answer::text(
            503,
            "custsync is receiving too many large requests at once; try again in a moment.",
        )
    };
    if !body.extend(&already[..already.len().min(len)]) {
        return Err(busy());
    }
    let start = Instant::now();
    s.set_deadline(accepted + limits.request_timeout);
    let mut chunk = [0u8; 16 * 1024];
    while body.bytes.len() < len {
        let want = (len - body.bytes.len()).min(chunk.len());
        match s.read(&mut chunk[..want]) {
            Ok(0) => return Err(Answer::text(400, "The request body ended early.")),
            Ok(n) => {
                if !body.extend(&chunk[..n]) {
                    return Err(busy());
                }
            }
            Err(e) if is_timeout(&e) => {
                return Err(Answer::text(
                    408,
                    "The request body took too long to arrive.",
                ));
            }
            Err(_) => return Err(Answer::text(400, "The request body could not be read.")),
        }
        let elapsed = start.elapsed();
        if elapsed > limits.body_grace
            && (body.bytes.len() as u64) < limits.min_body_rate.saturating_mul(elapsed.as_secs())
        {
            return Err(Answer::text(
                408,
                "The request body is arriving too slowly.",
            ));
        }
    }
    Ok(())
}
