//! The rendezvous between the Web Connector's calls (HTTP worker threads) and the sync core's
//! connection (its own thread): one mutex-guarded state and a condition variable.
//!
//! There is at most one *bridge* — the sync core's side of a connection — and any number of
//! Web Connector *sessions* (tickets). A bridge is attached to at most one session. Its *slot*
//! carries one request at a time:
//!
//! ```text
//! Empty ──process()──▶ Queued ──sendRequestXML──▶ HandedOut ──receiveResponseXML──▶ Answered
//!                                                     │                                 │
//!                     new authenticate, repeated      ▼                                 ▼
//!                     sendRequestXML, closeConnection, Lost (→ QbError::InDoubt)   process() returns
//!                     expiry, cancel
//! ```
//!
//! A handed-out request is never handed out again: once QuickBooks may have seen it, only the
//! sync core (through message-set recovery) may decide what to send next.
//!
//! Nothing here polls. Every change is signalled on the condition variable; a waiting thread
//! sleeps until then, or until the one deadline that matters to it: its own (a held call, a
//! wait limit) or the moment the oldest session would expire. Waiting for a Web Connector that
//! has not called yet has no deadline at all.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::qb::{QbError, SessionInfo, hresult};

use super::reported_versions::reported_versions;
use super::soap::SendRequest;
use crate::qb::guid::Guid;

/// Expired tickets remembered so getLastError can say "expired" rather than "unknown".
const EXPIRED_REMEMBERED: usize = 64;
/// What a session hears once the work it served is over and nothing more specific was said.
const FINISHED: &str = "custsync has finished this synchronization";

pub(crate) struct Exchange {
    state: Mutex<State>,
    changed: Condvar,
    ticket_ttl: Duration,
    hold: Duration,
    /// Each time a thread went to sleep: when it asked to be woken (`None`: only by a change).
    /// Lets the tests prove that no wait ticks.
    #[cfg(test)]
    sleeps: Mutex<Vec<Option<Instant>>>,
}

struct State {
    sessions: HashMap<String, Session>,
    expired: VecDeque<String>,
    bridge: Option<Bridge>,
    next_bridge_id: u64,
    /// Set by [`Exchange::stop_lingering`]: the server is wanted elsewhere.
    stop_lingering: bool,
}

struct Session {
    last_seen: Instant,
    role: Role,
    /// What getLastError answers.
    last_error: Option<String>,
}

#[derive(Clone)]
enum Role {
    Bridged(u64),
    /// The work this session served is over. `ok`: it ended normally (receiveResponseXML says
    /// 100), otherwise it was replaced or failed (receiveResponseXML says -1).
    Finished {
        message: String,
        ok: bool,
    },
}

pub(crate) struct Bridge {
    id: u64,
    /// What authenticate answers as the company file ("" = the file open in QuickBooks).
    company_file: String,
    ticket: Option<String>,
    stage: Stage,
    info: Option<SessionInfo>,
    pub hcp_response: Option<String>,
    pub country: Option<String>,
    slot: Slot,
    percent: u8,
    cancelled: bool,
    /// An error for the waiting open/process: connectionError, or a reconnect to another file.
    failure: Option<QbError>,
    exchanged: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// No Web Connector session is attached.
    Waiting,
    /// A session authenticated; its first sendRequestXML (or connectionError) is awaited.
    Authenticated,
    /// QuickBooks is open on the company file; requests flow.
    Ready,
}

enum Slot {
    Empty,
    Queued(String),
    HandedOut { ticket: String },
    Answered(Result<String, QbError>),
    Lost(String),
}

/// What the sync core's side sees, for a front end's "Waiting for the Web Connector…" screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BridgeStatus {
    /// Not opened, or closed.
    Idle,
    /// Waiting for the Web Connector to call (the operator must run it).
    WaitingForWebConnector,
    /// The Web Connector logged in and is opening the company file in QuickBooks.
    OpeningCompany,
    /// Connected to QuickBooks on this company file.
    Connected { company_file: String },
}

/// What authenticate should answer after the credentials were accepted.
pub(crate) enum Attach {
    Attached {
        ticket: String,
        company_file: String,
    },
    NoBridge,
}

impl Exchange {
    pub fn new(ticket_ttl: Duration, hold: Duration) -> Self {
        Exchange {
            state: Mutex::new(State {
                sessions: HashMap::new(),
                expired: VecDeque::new(),
                bridge: None,
                next_bridge_id: 1,
                stop_lingering: false,
            }),
            changed: Condvar::new(),
            ticket_ttl,
            hold,
            #[cfg(test)]
            sleeps: Mutex::new(Vec::new()),
        }
    }

    /// The state, expired sessions pruned. A panic elsewhere while holding the lock leaves a
    /// state that is still consistent enough to answer, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, State> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if st.prune(Instant::now(), self.ticket_ttl) {
            self.changed.notify_all();
        }
        st
    }

    fn notify(&self) {
        self.changed.notify_all();
    }

    /// Sleeps until something changes, `deadline` passes or the oldest session expires
    /// (whichever comes first), then prunes. Without a deadline and without sessions it sleeps
    /// until a change is signalled.
    fn wait<'a>(
        &'a self,
        guard: MutexGuard<'a, State>,
        deadline: Option<Instant>,
    ) -> MutexGuard<'a, State> {
        let wake = earliest(deadline, guard.next_expiry(self.ticket_ttl));
        #[cfg(test)]
        self.sleeps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(wake);
        let mut st = match wake {
            None => self
                .changed
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner),
            Some(at) => {
                self.changed
                    .wait_timeout(guard, at.saturating_duration_since(Instant::now()))
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        };
        if st.prune(Instant::now(), self.ticket_ttl) {
            self.changed.notify_all();
        }
        st
    }

    // ---- the sync core's side -------------------------------------------------------------

    /// Registers a bridge waiting for the Web Connector. Fails while another one exists.
    pub fn register(&self, company_file: String) -> Result<u64, QbError> {
        let mut st = self.lock();
        if st.bridge.is_some() {
            return Err(QbError::Transport(
                "another synchronization is already using the Web Connector; wait for it to \
                 finish (or cancel it), then try again"
                    .into(),
            ));
        }
        let id = st.new_bridge(company_file);
        Ok(id)
    }

    /// Waits until the bridge's session is open on a company file.
    pub fn wait_open(&self, id: u64, limit: Option<Duration>) -> Result<SessionInfo, QbError> {
        let deadline = limit.map(|l| Instant::now() + l);
        let mut st = self.lock();
        loop {
            let b = st.bridge_mut(id)?;
            if b.cancelled {
                return Err(QbError::Cancelled);
            }
            if let Some(err) = b.failure.take() {
                return Err(err);
            }
            if b.stage == Stage::Ready
                && let Some(info) = &b.info
            {
                return Ok(info.clone());
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(not_called_within(limit));
            }
            st = self.wait(st, deadline);
        }
    }

    /// Queues one request and waits for its response.
    pub fn exchange(
        &self,
        id: u64,
        request: &str,
        limit: Option<Duration>,
    ) -> Result<String, QbError> {
        let mut st = self.lock();
        {
            let b = st.bridge_mut(id)?;
            if b.cancelled {
                return Err(QbError::Cancelled);
            }
            if let Some(err) = b.failure.take() {
                return Err(err);
            }
            if b.info.is_none() {
                return Err(QbError::Transport(
                    "the Web Connector connection is not open; open it before sending requests"
                        .into(),
                ));
            }
            b.slot = Slot::Queued(request.to_string());
        }
        self.notify();
        let deadline = limit.map(|l| Instant::now() + l);
        loop {
            let b = st.bridge_mut(id)?;
            let slot = std::mem::replace(&mut b.slot, Slot::Empty);
            match slot {
                Slot::Answered(result) => return result,
                Slot::Lost(why) => return Err(QbError::InDoubt(why)),
                Slot::Queued(_) if b.cancelled => return Err(QbError::Cancelled),
                Slot::HandedOut { .. } if b.cancelled => {
                    return Err(QbError::InDoubt(
                        "the synchronization was cancelled while QuickBooks was working on the \
                         request"
                            .into(),
                    ));
                }
                Slot::Queued(q) => {
                    if let Some(err) = b.failure.take() {
                        return Err(err);
                    }
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        return Err(not_called_within(limit));
                    }
                    b.slot = Slot::Queued(q);
                }
                Slot::Empty => {
                    return Err(QbError::Transport(
                        "the request disappeared from the Web Connector queue; synchronize again"
                            .into(),
                    ));
                }
                // Still with QuickBooks: only the Web Connector (or expiry) can end this wait.
                handed_out => b.slot = handed_out,
            }
            st = self.wait(st, deadline);
        }
    }

    pub fn set_progress(&self, id: u64, done: u64, total: u64) {
        let mut st = self.lock();
        if let Ok(b) = st.bridge_mut(id) {
            let pct = done
                .min(total)
                .saturating_mul(100)
                .checked_div(total)
                .unwrap_or(0)
                .min(99);
            b.percent = u8::try_from(pct).unwrap_or(99);
        }
    }

    pub fn cancel(&self, id: u64) {
        let mut st = self.lock();
        if let Ok(b) = st.bridge_mut(id) {
            b.cancelled = true;
        }
        drop(st);
        self.notify();
    }

    /// Ends the bridge. Its session, if any, is told the work is done.
    pub fn close(&self, id: u64) {
        self.finish(id, None, true);
    }

    /// Ends the bridge with what its session should tell the Web Connector: `ok` lets
    /// receiveResponseXML answer 100 and closeConnection show `message` in the Web Connector's
    /// status column; otherwise receiveResponseXML answers -1 and getLastError shows `message` as
    /// an error. `None`: how many requests were exchanged.
    pub fn finish(&self, id: u64, message: Option<String>, ok: bool) {
        let mut st = self.lock();
        if st.bridge.as_ref().is_some_and(|b| b.id == id)
            && let Some(b) = st.bridge.take()
        {
            let message = message.unwrap_or_else(|| {
                format!(
                    "custsync finished: {} request(s) exchanged with QuickBooks",
                    b.exchanged
                )
            });
            if let Some(t) = &b.ticket
                && let Some(s) = st.sessions.get_mut(t)
            {
                if !ok {
                    s.last_error = Some(message.clone());
                }
                s.role = Role::Finished { message, ok };
            }
        }
        drop(st);
        self.notify();
    }

    /// Whether a Web Connector session is still open (authenticated and not yet closed or
    /// expired), including one whose work is over but which has not heard so yet.
    pub fn has_sessions(&self) -> bool {
        !self.lock().sessions.is_empty()
    }

    /// Keeps the server's reason to stay up: returns once no session is open any more,
    /// [`Exchange::stop_lingering`] was called, or `deadline` passed.
    pub fn linger(&self, deadline: Instant) {
        let mut st = self.lock();
        while !st.sessions.is_empty() && !st.stop_lingering && Instant::now() < deadline {
            st = self.wait(st, Some(deadline));
        }
    }

    /// Ends [`Exchange::linger`] at once (another synchronization needs the port).
    pub fn stop_lingering(&self) {
        self.lock().stop_lingering = true;
        self.notify();
    }

    pub fn status(&self, id: u64) -> BridgeStatus {
        let st = self.lock();
        match st.bridge.as_ref().filter(|b| b.id == id) {
            None => BridgeStatus::Idle,
            Some(b) => match (b.stage, &b.info) {
                (Stage::Ready, Some(info)) => BridgeStatus::Connected {
                    company_file: info.company_file.clone(),
                },
                (Stage::Authenticated, _) => BridgeStatus::OpeningCompany,
                _ => BridgeStatus::WaitingForWebConnector,
            },
        }
    }

    pub fn with_bridge<T>(&self, id: u64, f: impl FnOnce(&Bridge) -> T) -> Option<T> {
        let st = self.lock();
        st.bridge.as_ref().filter(|b| b.id == id).map(f)
    }

    // ---- the Web Connector's side ---------------------------------------------------------

    /// After good credentials: attaches a new session to the waiting bridge, if there is one.
    /// A bridge already attached to another session is taken over: the Web Connector started
    /// again, so whatever the old session had in flight is lost.
    pub fn attach(&self) -> Attach {
        let mut st = self.lock();
        let out = st.attach_to_bridge();
        drop(st);
        self.notify();
        out
    }

    /// Registers a bridge for a scheduled run, attached to a new session at once. `None` when an
    /// interactive bridge appeared meanwhile (the caller attaches to it instead).
    pub fn register_attached(&self, company_file: String) -> Option<(u64, String)> {
        let mut st = self.lock();
        if st.bridge.is_some() {
            return None;
        }
        let id = st.new_bridge(company_file);
        match st.attach_to_bridge() {
            Attach::Attached { ticket, .. } => Some((id, ticket)),
            Attach::NoBridge => None,
        }
    }

    /// sendRequestXML: the next request, or "" (and getLastError says why).
    pub fn send_request(&self, req: &SendRequest) -> (String, String) {
        let ticket = req.ticket.as_str();
        let mut st = self.lock();
        let id = match st.touch(ticket) {
            Err(note) => return (String::new(), note),
            Ok(Role::Finished { message, .. }) => {
                st.set_last_error(ticket, message.clone());
                return (String::new(), message);
            }
            Ok(Role::Bridged(id)) => id,
        };
        let Some(b) = st.bridge.as_mut().filter(|b| b.id == id) else {
            return (String::new(), st.finish_orphan(ticket));
        };
        if matches!(&b.slot, Slot::HandedOut { ticket: t } if t == ticket) {
            b.slot = Slot::Lost(
                "the Web Connector asked for a new request before returning the response to the \
                 last one"
                    .into(),
            );
        }
        if b.stage == Stage::Authenticated
            && let Err(message) = b.first_request(req)
        {
            st.detach(id, &message, false);
            drop(st);
            self.notify();
            return (String::new(), message);
        }
        self.notify();
        // Hold the call briefly: a sync core that is about to queue its next request (or to
        // close) is answered now instead of after the Web Connector's 5-second NoOp pause.
        let deadline = Instant::now() + self.hold;
        loop {
            let still_ours = st.session_role(ticket) == Some(id);
            let b = st.bridge.as_mut().filter(|b| b.id == id);
            match b {
                Some(b) if still_ours && b.ticket.as_deref() == Some(ticket) => {
                    match std::mem::replace(&mut b.slot, Slot::Empty) {
                        Slot::Queued(xml) => {
                            b.slot = Slot::HandedOut {
                                ticket: ticket.to_string(),
                            };
                            b.exchanged += 1;
                            let note = format!("request {} ({} bytes)", b.exchanged, xml.len());
                            st.set_last_error(ticket, String::new());
                            return (xml, note);
                        }
                        other => b.slot = other,
                    }
                    if Instant::now() >= deadline {
                        st.set_last_error(ticket, "NoOp".into());
                        return (String::new(), "nothing queued yet: NoOp".into());
                    }
                }
                _ => {
                    let message = st.finished_message(ticket);
                    st.set_last_error(ticket, message.clone());
                    return (String::new(), message);
                }
            }
            st = self.wait(st, Some(deadline));
        }
    }

    /// receiveResponseXML: hands the response to the waiting sync core and answers the percent
    /// done (100 once the core has closed; -1 for a session custsync no longer serves).
    pub fn receive_response(
        &self,
        ticket: &str,
        response: &str,
        hresult_text: &str,
        message: &str,
    ) -> (i32, String) {
        let mut st = self.lock();
        let id = match st.touch(ticket) {
            Err(note) => {
                return (-1, note);
            }
            Ok(Role::Finished { ok, message }) => {
                st.set_last_error(ticket, message.clone());
                return (if ok { 100 } else { -1 }, message);
            }
            Ok(Role::Bridged(id)) => id,
        };
        let mut note = String::from("no request was outstanding; response ignored");
        if let Some(b) = st.bridge.as_mut().filter(|b| b.id == id)
            && matches!(&b.slot, Slot::HandedOut { ticket: t } if t == ticket)
        {
            let result = if hresult_text.trim().is_empty() {
                note = format!("response ({} bytes)", response.len());
                Ok(response.to_string())
            } else {
                note = format!("QuickBooks error {hresult_text}: {message}");
                Err(hresult_error(hresult_text, message))
            };
            b.slot = Slot::Answered(result);
        }
        self.notify();
        // Give the core a moment to decide, so that its close is reported as 100 right away.
        let deadline = Instant::now() + self.hold;
        loop {
            let still_ours = st.session_role(ticket) == Some(id);
            match st.bridge.as_ref().filter(|b| b.id == id) {
                Some(b) if still_ours => {
                    // Answered: not yet picked up; Empty: picked up, next step not decided.
                    let deciding = matches!(b.slot, Slot::Answered(_) | Slot::Empty);
                    if !deciding || Instant::now() >= deadline {
                        return (i32::from(b.percent.min(99)), note);
                    }
                }
                _ => {
                    return match st.role_of(ticket) {
                        Some(Role::Finished { ok: false, message }) => (-1, message),
                        _ => (100, note),
                    };
                }
            }
            st = self.wait(st, Some(deadline));
        }
    }

    /// connectionError: QuickBooks could not be reached. The waiting open/process fails with
    /// the HRESULT. Always answers "done": retrying another file is the operator's decision.
    pub fn connection_error(&self, ticket: &str, hresult_text: &str, message: &str) -> String {
        let mut st = self.lock();
        if let Ok(Role::Bridged(id)) = st.touch(ticket) {
            let err = hresult_error(hresult_text, message);
            let text = err.to_string();
            if let Some(b) = st.bridge.as_mut().filter(|b| b.id == id) {
                b.failure = Some(err);
            }
            st.detach(id, &text, false);
        }
        drop(st);
        self.notify();
        "done".into()
    }

    pub fn last_error(&self, ticket: &str) -> String {
        let mut st = self.lock();
        match st.touch(ticket) {
            Err(note) => note,
            Ok(_) => st
                .sessions
                .get(ticket)
                .and_then(|s| s.last_error.clone())
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "custsync has no error to report".into()),
        }
    }

    /// closeConnection: forgets the session. A request still with QuickBooks is lost.
    pub fn close_connection(&self, ticket: &str) -> String {
        let mut st = self.lock();
        let reply = match st.sessions.get(ticket).map(|s| &s.role) {
            None => "OK".to_string(),
            Some(Role::Finished { message, .. }) => message.clone(),
            Some(Role::Bridged(id)) => {
                let id = *id;
                let message = "the Web Connector closed the session; custsync is still waiting \
                               — run the update again to continue"
                    .to_string();
                st.detach(id, &message, false);
                message
            }
        };
        st.sessions.remove(ticket);
        drop(st);
        self.notify();
        reply
    }
}

impl State {
    fn new_bridge(&mut self, company_file: String) -> u64 {
        let id = self.next_bridge_id;
        self.next_bridge_id += 1;
        self.bridge = Some(Bridge {
            id,
            company_file,
            ticket: None,
            stage: Stage::Waiting,
            info: None,
            hcp_response: None,
            country: None,
            slot: Slot::Empty,
            percent: 0,
            cancelled: false,
            failure: None,
            exchanged: 0,
        });
        id
    }

    fn bridge_mut(&mut self, id: u64) -> Result<&mut Bridge, QbError> {
        self.bridge.as_mut().filter(|b| b.id == id).ok_or_else(|| {
            QbError::Transport(
                "the Web Connector connection was closed; open it again to continue".into(),
            )
        })
    }

    fn attach_to_bridge(&mut self) -> Attach {
        let Some(id) = self.bridge.as_ref().filter(|b| !b.cancelled).map(|b| b.id) else {
            return Attach::NoBridge;
        };
        self.detach(
            id,
            "the Web Connector started a new session; this one was replaced",
            false,
        );
        let ticket = Guid::random().to_string();
        self.sessions.insert(
            ticket.clone(),
            Session {
                last_seen: Instant::now(),
                role: Role::Bridged(id),
                last_error: None,
            },
        );
        let Some(b) = self.bridge.as_mut() else {
            return Attach::NoBridge;
        };
        b.ticket = Some(ticket.clone());
        b.stage = Stage::Authenticated;
        Attach::Attached {
            ticket,
            company_file: b.company_file.clone(),
        }
    }

    /// Detaches the bridge from its session (if any), which then answers as finished. A request
    /// the session had taken is lost.
    fn detach(&mut self, id: u64, message: &str, ok: bool) {
        let Some(b) = self.bridge.as_mut().filter(|b| b.id == id) else {
            return;
        };
        if let Slot::HandedOut { .. } = b.slot {
            b.slot = Slot::Lost(format!("{message} before QuickBooks' response came back"));
        }
        b.stage = Stage::Waiting;
        if let Some(t) = b.ticket.take()
            && let Some(s) = self.sessions.get_mut(&t)
        {
            s.role = Role::Finished {
                message: message.to_string(),
                ok,
            };
            s.last_error = Some(message.to_string());
        }
    }

    /// Expires idle sessions. Returns whether anything changed.
    fn prune(&mut self, now: Instant, ttl: Duration) -> bool {
        let expired: Vec<String> = self
            .sessions
            .iter()
            .filter(|(_, s)| now.saturating_duration_since(s.last_seen) >= ttl)
            .map(|(t, _)| t.clone())
            .collect();
        for t in &expired {
            if let Some(Session {
                role: Role::Bridged(id),
                ..
            }) = self.sessions.get(t)
            {
                let id = *id;
                self.detach(
                    id,
                    "the Web Connector stopped calling (its session expired)",
                    false,
                );
            }
            self.sessions.remove(t);
            if self.expired.len() >= EXPIRED_REMEMBERED {
                self.expired.pop_front();
            }
            self.expired.push_back(t.clone());
        }
        !expired.is_empty()
    }

    /// When the session that has been idle longest expires, if there is one.
    fn next_expiry(&self, ttl: Duration) -> Option<Instant> {
        self.sessions
            .values()
            .filter_map(|s| s.last_seen.checked_add(ttl))
            .min()
    }

    /// Marks a call on `ticket`; the session's role, or what getLastError should say.
    fn touch(&mut self, ticket: &str) -> Result<Role, String> {
        match self.sessions.get_mut(ticket) {
            Some(s) => {
                s.last_seen = Instant::now();
                Ok(s.role.clone())
            }
            None if self.expired.iter().any(|t| t == ticket) => Err(
                "this Web Connector session expired because it made no call for too long; run \
                 the update again"
                    .into(),
            ),
            None => Err(
                "custsync does not know this Web Connector session (it may have expired, or \
                 custsync was restarted); run the update again"
                    .into(),
            ),
        }
    }

    fn session_role(&self, ticket: &str) -> Option<u64> {
        match self.sessions.get(ticket).map(|s| &s.role) {
            Some(Role::Bridged(id)) => Some(*id),
            _ => None,
        }
    }

    fn role_of(&self, ticket: &str) -> Option<Role> {
        self.sessions.get(ticket).map(|s| s.role.clone())
    }

    fn finished_message(&self, ticket: &str) -> String {
        match self.role_of(ticket) {
            Some(Role::Finished { message, .. }) => message,
            _ => FINISHED.into(),
        }
    }

    /// A session whose bridge vanished without telling it (closed between calls).
    fn finish_orphan(&mut self, ticket: &str) -> String {
        let message = FINISHED.to_string();
        if let Some(s) = self.sessions.get_mut(ticket) {
            s.role = Role::Finished {
                message: message.clone(),
                ok: true,
            };
            s.last_error = Some(message.clone());
        }
        message
    }

    fn set_last_error(&mut self, ticket: &str, message: String) {
        if let Some(s) = self.sessions.get_mut(ticket) {
            s.last_error = Some(message);
        }
    }
}

impl Bridge {
    /// The session's first sendRequestXML: learn (or, after a reconnect, check) the company file
    /// and the qbXML versions.
    fn first_request(&mut self, req: &SendRequest) -> Result<(), String> {
        let versions = reported_versions(&req.hcp_response, req.major, req.minor);
        match &self.info {
            Some(info) if !same_file(&info.company_file, &req.company_file) => {
                let message = format!(
                    "the Web Connector reconnected on the company file \"{}\", but this \
                     synchronization started on \"{}\"; open that file in QuickBooks and run the \
                     update again",
                    req.company_file, info.company_file
                );
                self.failure = Some(QbError::Transport(message.clone()));
                return Err(message);
            }
            Some(_) => {}
            None => {
                self.info = Some(SessionInfo {
                    company_file: req.company_file.clone(),
                    supported_versions: versions,
                });
            }
        }
        if !req.hcp_response.is_empty() {
            self.hcp_response = Some(req.hcp_response.clone());
        }
        if !req.country.is_empty() {
            self.country = Some(req.country.clone());
        }
        self.stage = Stage::Ready;
        Ok(())
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Windows paths: QuickBooks may report the same file with different letter case.
fn same_file(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn hresult_error(text: &str, message: &str) -> QbError {
    match hresult::parse(text) {
        Some(code) => QbError::hresult(code, message.trim()),
        None => QbError::Transport(format!(
            "the Web Connector reported an error custsync cannot identify (\"{}\"): {}",
            text.trim(),
            message.trim()
        )),
    }
}

fn not_called_within(limit: Option<Duration>) -> QbError {
    let secs = limit.map(|l| l.as_secs()).unwrap_or_default();
    QbError::Transport(format!(
        "the QuickBooks Web Connector did not call within {secs} seconds; on the QuickBooks \
         computer, open the Web Connector, tick custsync and click \"Update Selected\", then \
         synchronize again"
    ))
}

#[cfg(test)]
mod tests {
    //! No wait ticks: every sleep is recorded with the instant it asked to be woken at, and
    //! these tests check that a thread waiting for the Web Connector sleeps without a deadline
    //! (or until the one deadline that matters) and is woken by the event itself.

    use std::sync::Arc;
    use std::thread;

    use super::*;

    const TTL: Duration = Duration::from_secs(30 * 60);
    const HOLD: Duration = Duration::from_secs(2);

    fn exchange() -> Arc<Exchange> {
        Arc::new(Exchange::new(TTL, HOLD))
    }

    fn sleeps(ex: &Exchange) -> Vec<Option<Instant>> {
        ex.sleeps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Blocks until some thread has gone to sleep `n` times in total; their wake-up instants.
    fn after_sleeps(ex: &Exchange, n: usize) -> Vec<Option<Instant>> {
        let give_up = Instant::now() + Duration::from_secs(10);
        loop {
            let s = sleeps(ex);
            if s.len() >= n {
                return s;
            }
            assert!(Instant::now() < give_up, "no thread went to sleep: {s:?}");
            thread::yield_now();
        }
    }

    fn attached(ex: &Exchange) -> (u64, String) {
        let id = ex.register(String::new()).unwrap();
        match ex.attach() {
            Attach::Attached { ticket, .. } => (id, ticket),
            Attach::NoBridge => panic!("the bridge was not attached"),
        }
    }

    #[test]
    fn waiting_for_the_web_connector_sleeps_until_it_is_cancelled() {
        let ex = exchange();
        let id = ex.register(String::new()).unwrap();
        let waiter = {
            let ex = Arc::clone(&ex);
            thread::spawn(move || ex.wait_open(id, None))
        };
        assert_eq!(
            after_sleeps(&ex, 1),
            vec![None],
            "a wait without a deadline"
        );
        ex.cancel(id);
        assert!(matches!(waiter.join().unwrap(), Err(QbError::Cancelled)));
        assert_eq!(sleeps(&ex).len(), 1, "woken once, by the cancel");
    }

    #[test]
    fn an_open_session_wakes_its_waiter_only_when_it_would_expire() {
        let ex = exchange();
        let before = Instant::now();
        let (id, ticket) = attached(&ex);
        let after = Instant::now();
        let waiter = {
            let ex = Arc::clone(&ex);
            thread::spawn(move || ex.wait_open(id, None))
        };
        let wake = after_sleeps(&ex, 1)[0].expect("the session's expiry");
        assert!(before + TTL <= wake && wake <= after + TTL, "{wake:?}");
        // The Web Connector's first sendRequestXML opens the connection.
        let (xml, _) = ex.send_request(&SendRequest {
            ticket,
            hcp_response: String::new(),
            company_file: "Acme.QBW".into(),
            country: "US".into(),
            major: Some(13),
            minor: Some(0),
        });
        assert_eq!(xml, "", "nothing was queued");
        let info = waiter.join().unwrap().unwrap();
        assert_eq!(info.company_file, "Acme.QBW");
        // The held sendRequestXML slept until its hold ended; the waiter slept once.
        let s = sleeps(&ex);
        assert_eq!(s.len(), 2, "{s:?}");
    }

    #[test]
    fn a_held_call_sleeps_until_its_hold_ends_or_a_request_is_queued() {
        let ex = exchange();
        let (id, ticket) = attached(&ex);
        let call = |ticket: &str| SendRequest {
            ticket: ticket.to_string(),
            hcp_response: String::new(),
            company_file: "Acme.QBW".into(),
            country: "US".into(),
            major: Some(13),
            minor: Some(0),
        };
        let held = {
            let ex = Arc::clone(&ex);
            let req = call(&ticket);
            thread::spawn(move || ex.send_request(&req))
        };
        let start = Instant::now();
        let wake = after_sleeps(&ex, 1)[0].expect("the hold's end");
        assert!(
            wake >= start + HOLD - Duration::from_millis(100),
            "{wake:?}"
        );
        ex.wait_open(id, None).unwrap();
        let core = {
            let ex = Arc::clone(&ex);
            thread::spawn(move || ex.exchange(id, "<QBXML/>", None))
        };
        let (xml, _) = held.join().unwrap();
        assert_eq!(xml, "<QBXML/>", "the held call got the request at once");
        ex.receive_response(&ticket, "<QBXMLMsgsRs/>", "", "");
        assert_eq!(core.join().unwrap().unwrap(), "<QBXMLMsgsRs/>");
    }

    #[test]
    fn lingering_ends_when_the_last_session_closes_or_when_stopped() {
        let ex = exchange();
        ex.linger(Instant::now() + Duration::from_secs(3600));
        assert!(sleeps(&ex).is_empty(), "no session: no wait at all");

        for stop in [false, true] {
            let ex = exchange();
            let (id, ticket) = attached(&ex);
            ex.close(id);
            let lingering = {
                let ex = Arc::clone(&ex);
                thread::spawn(move || ex.linger(Instant::now() + Duration::from_secs(3600)))
            };
            let wake = after_sleeps(&ex, 1)[0];
            assert!(wake.is_some_and(|w| w < Instant::now() + TTL + Duration::from_secs(1)));
            if stop {
                ex.stop_lingering();
            } else {
                ex.close_connection(&ticket);
            }
            lingering.join().unwrap();
            assert_eq!(sleeps(&ex).len(), 1, "woken once (stop: {stop})");
        }
    }

    #[test]
    fn an_idle_session_expires_at_its_deadline() {
        let ex = Arc::new(Exchange::new(Duration::from_millis(20), HOLD));
        let (id, _) = attached(&ex);
        let waiter = {
            let ex = Arc::clone(&ex);
            thread::spawn(move || ex.wait_open(id, None))
        };
        // The session expires; the bridge goes back to waiting for a new one, with no deadline.
        let s = after_sleeps(&ex, 2);
        assert!(s[0].is_some() && s[1].is_none(), "{s:?}");
        assert!(!ex.has_sessions());
        ex.cancel(id);
        assert!(matches!(waiter.join().unwrap(), Err(QbError::Cancelled)));
    }
}
