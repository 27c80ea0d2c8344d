//! The connections of `packet serve`: hyper's HTTP/1.1 on tokio's single-threaded runtime.
//! Every connection is a task of its own, read as soon as it sends, however many a browser
//! opens at once (the page's ten ES modules come over about six sockets in a burst) and
//! however long others are kept alive. Each request's handler runs synchronously on
//! tokio's blocking pool (typst compiles, file IO, the long poll waiting on a Condvar).
//!
//! Slow and idle clients are bounded: a request's head must arrive within [`HEAD_TIME`]
//! (which also closes a kept-alive connection idle that long), its body within
//! [`super::http::BODY_TIME`]; at most [`MAX_CONNECTIONS`] are open (the next waits in
//! the OS's queue until one closes), at most [`MAX_ACTIVE`] requests are handled at once
//! (more get 503), so the blocking pool never holds more threads than that.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use super::http::{ApiError, Request};
use super::{App, MAX_ACTIVE};
use crate::diag::{Diagnostic, io_reason};

/// Connections open at once.
const MAX_CONNECTIONS: usize = 128;
/// A request's head must arrive within this; a kept-alive connection idle this long is closed.
const HEAD_TIME: Duration = Duration::from_secs(20);

/// Serve `listener` until the process ends.
pub(super) fn serve(listener: std::net::TcpListener, app: Arc<App>) -> crate::diag::Result<()> {
    let failed = |e: std::io::Error| Diagnostic::error(format!("無法啟動伺服器：{}", io_reason(&e)));
    listener.set_nonblocking(true).map_err(failed)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(MAX_ACTIVE)
        .build()
        .map_err(failed)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(failed)?;
        accept(listener, app).await;
        Ok(())
    })
}

/// Accept connections, each served in a task of its own, at most [`MAX_CONNECTIONS`] at once.
async fn accept(listener: tokio::net::TcpListener, app: Arc<App>) {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEAD_TIME);
    loop {
        let Ok(permit) = open.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // A connection reset before it was accepted, or no file handle left for now.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        let connection = http.serve_connection(TokioIo::new(stream), service_fn(move |r| respond(app.clone(), r)));
        tokio::spawn(async move {
            // A client gone or too slow: its connection is closed, nothing else to do.
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// One request: handled on the blocking pool, or 503 when [`MAX_ACTIVE`] already are.
async fn respond(app: Arc<App>, request: hyper::Request<Incoming>) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let Some(active) = Active::enter(app) else {
        return Ok(ApiError::new(503, "忙碌中，請稍後再試").reply().into_response());
    };
    let request = Request::new(request, tokio::runtime::Handle::current());
    let handled = tokio::task::spawn_blocking(move || active.0.handle(request)).await;
    let reply = handled.unwrap_or_else(|_| ApiError::new(500, "內部錯誤").reply());
    Ok(reply.into_response())
}

/// A request counted among the active ones for as long as its handler runs (also when it
/// panics).
struct Active(Arc<App>);

impl Active {
    fn enter(app: Arc<App>) -> Option<Active> {
        if app.active.fetch_add(1, Ordering::SeqCst) >= MAX_ACTIVE {
            app.active.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Active(app))
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}
