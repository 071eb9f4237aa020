//! HTTPS on loopback: a self-signed certificate shared by the devnet's nodes, a client with
//! keep-alive connections and a server loop. Every call has a deadline.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use tokio::net::{TcpListener, TcpStream};

/// Largest request or response body read (the storage server's limit is 10 MB).
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// The devnet's certificate and key (DER), as the nodes load them from files.
#[derive(Clone)]
pub struct CertFiles {
    /// The self-signed certificate, valid for `127.0.0.1` and `localhost`.
    pub cert: Vec<u8>,
    /// Its PKCS #8 private key.
    pub key: Vec<u8>,
}

impl std::fmt::Debug for CertFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertFiles").finish_non_exhaustive()
    }
}

impl CertFiles {
    /// A fresh self-signed certificate for `127.0.0.1`, as the storage server makes its own.
    pub fn generate() -> anyhow::Result<Self> {
        let ck = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
        ])?;
        Ok(CertFiles {
            cert: ck.cert.der().to_vec(),
            key: ck.signing_key.serialize_der(),
        })
    }
}

// ring rather than aws-lc-rs: no C toolchain beyond ring's, and loopback needs no
// post-quantum key exchange.
#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS server configuration presenting `files`' certificate.
pub fn server_config(files: &CertFiles) -> anyhow::Result<Arc<ServerConfig>> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(files.key.clone()));
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(files.cert.clone())], key)?;
    Ok(Arc::new(config))
}

/// A TLS client configuration that trusts exactly the devnet's certificate.
pub fn client_config(cert: &[u8]) -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(cert.to_vec()))?;
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Why an HTTPS exchange did not produce a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// The TCP connection was refused or reset (the node is down).
    Connect,
    /// The TLS handshake failed.
    Tls,
    /// The HTTP exchange failed after connecting (the node died mid-request).
    Http,
    /// No answer before the deadline.
    Timeout,
}

impl Failure {
    /// A short name for reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Failure::Connect => "connection refused",
            Failure::Tls => "tls handshake failed",
            Failure::Http => "connection dropped",
            Failure::Timeout => "timeout",
        }
    }
}

/// Idle connections kept per peer.
const MAX_IDLE_PER_PEER: usize = 16;

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// An HTTPS client keeping idle keep-alive connections per peer, as nodes keep their
/// OxenMQ connections to each other: a TLS handshake per request would dominate loopback
/// latency.
pub struct Pool {
    tls: Arc<ClientConfig>,
    idle: std::sync::Mutex<std::collections::HashMap<SocketAddr, Vec<Sender>>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool whose connections trust `tls`'s roots.
    #[must_use]
    pub fn new(tls: Arc<ClientConfig>) -> Self {
        Pool {
            tls,
            idle: std::sync::Mutex::default(),
        }
    }

    fn idle(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<SocketAddr, Vec<Sender>>> {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn take(&self, addr: SocketAddr) -> Option<Sender> {
        let mut idle = self.idle();
        let list = idle.get_mut(&addr)?;
        // Bounded by the list's length: closed connections are dropped on the way.
        while let Some(sender) = list.pop() {
            if !sender.is_closed() && sender.is_ready() {
                return Some(sender);
            }
        }
        None
    }

    fn put(&self, addr: SocketAddr, sender: Sender) {
        let mut idle = self.idle();
        let list = idle.entry(addr).or_default();
        if list.len() < MAX_IDLE_PER_PEER {
            list.push(sender);
        }
    }

    async fn connect(&self, addr: SocketAddr) -> Result<Sender, Failure> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|_| Failure::Connect)?;
        let _ = tcp.set_nodelay(true);
        let connector = tokio_rustls::TlsConnector::from(Arc::clone(&self.tls));
        let name = ServerName::IpAddress(addr.ip().into());
        let stream = connector
            .connect(name, tcp)
            .await
            .map_err(|_| Failure::Tls)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|_| Failure::Http)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(sender)
    }

    /// POSTs `body` to `https://addr{path}`: the status and body, or why there is none. An
    /// idle connection is reused; if it turns out dead, one fresh connection is tried.
    pub async fn post(
        &self,
        addr: SocketAddr,
        path: &str,
        body: Vec<u8>,
        deadline: Duration,
    ) -> Result<(u16, Vec<u8>), Failure> {
        let exchange = async {
            if let Some(mut sender) = self.take(addr)
                && let Ok(r) = send(&mut sender, addr, path, body.clone()).await
            {
                self.put(addr, sender);
                return Ok(r);
            }
            let mut sender = self.connect(addr).await?;
            let r = send(&mut sender, addr, path, body).await?;
            self.put(addr, sender);
            Ok(r)
        };
        tokio::time::timeout(deadline, exchange)
            .await
            .map_err(|_| Failure::Timeout)?
    }
}

async fn send(
    sender: &mut Sender,
    addr: SocketAddr,
    path: &str,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), Failure> {
    let request = hyper::Request::post(path)
        .header("host", addr.to_string())
        .header("content-type", "application/octet-stream")
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| Failure::Http)?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|_| Failure::Http)?;
    let status = response.status().as_u16();
    let bytes = Limited::new(response.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| Failure::Http)?
        .to_bytes();
    Ok((status, bytes.to_vec()))
}

/// One request as the server hands it to its handler.
#[derive(Debug)]
pub struct HttpRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// Serves HTTPS on `listener` forever, answering each request with `handler`'s status and
/// body.
pub async fn serve<F, Fut>(listener: TcpListener, tls: Arc<ServerConfig>, handler: F)
where
    F: Fn(HttpRequest) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = (u16, Vec<u8>)> + Send + 'static,
{
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            // Out of descriptors or similar: back off rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let handler = handler.clone();
        tokio::spawn(async move {
            let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await
            else {
                return;
            };
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let handler = handler.clone();
                async move {
                    let method = req.method().to_string();
                    let path = req.uri().path().to_string();
                    let query = req.uri().query().map(str::to_string);
                    let (status, body) =
                        match Limited::new(req.into_body(), MAX_BODY).collect().await {
                            Ok(b) => {
                                handler(HttpRequest {
                                    method,
                                    path,
                                    query,
                                    body: b.to_bytes().to_vec(),
                                })
                                .await
                            }
                            Err(_) => (413, b"request body too large".to_vec()),
                        };
                    let response = hyper::Response::builder()
                        .status(status)
                        .body(Full::new(Bytes::from(body)))
                        .unwrap_or_default();
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
