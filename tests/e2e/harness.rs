//! Starts the real app under WebKitWebDriver on a temporary database and drives
//! it over WebDriver. Needs a display (Xvfb), `WebKitWebDriver` on PATH and the app
//! built with `--features custom-protocol` (`make e2e` does all three).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// How long a test waits for the page before it fails.
const WAIT: Duration = Duration::from_secs(30);

pub type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The app binary under test: `ANNALS_APP`, else the debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("ANNALS_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/annals-app"))
}

pub fn cli_binary() -> PathBuf {
    std::env::var_os("ANNALS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/annals"))
}

fn free_port() -> Res<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A temporary database folder that outlives app restarts within one test.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Res<Workspace> {
        Ok(Workspace {
            dir: tempfile::tempdir()?,
        })
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("annals.sqlite3")
    }
    /// A path inside the workspace folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The data folder the app is started with for the database `db`.
pub fn data_home(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("xdg-data")
}

/// The app's log when it runs on `db`.
pub fn log_text(db: &Path) -> String {
    std::fs::read_to_string(data_home(db).join("org.annals.desktop/logs/annals.log"))
        .unwrap_or_default()
}

pub struct App {
    pub client: Client,
    driver: Option<Child>,
}

impl App {
    /// Launches the app on `db` and waits until its first paint has data.
    pub async fn launch(db: &Path) -> Res<App> {
        let app = App::start(db).await?;
        app.wait_for("[data-testid=result-count]").await?;
        Ok(app)
    }

    /// Launches the app on `db` and waits until the page is up (its toolbar or
    /// its error screen), not for data.
    pub async fn start(db: &Path) -> Res<App> {
        App::start_with(db, &[]).await
    }

    /// Launches the app on `db` with extra environment variables (`ANNALS_NO_SEED`,
    /// `ANNALS_E2E_PICK`) and waits until its first paint has data.
    pub async fn launch_with(db: &Path, env: &[(&str, &str)]) -> Res<App> {
        let app = App::start_with(db, env).await?;
        app.wait_for("[data-testid=result-count]").await?;
        Ok(app)
    }

    /// Launches the app on an empty database (no sample article) whose file
    /// chooser will answer `files`, and starts importing them: File > Import,
    /// then Import in the dialog.
    pub async fn import_on_empty(db: &Path, files: &[PathBuf]) -> Res<App> {
        let pick = std::env::join_paths(files)?.to_string_lossy().into_owned();
        let app = App::launch_with(
            db,
            &[("ANNALS_NO_SEED", "1"), ("ANNALS_E2E_PICK", pick.as_str())],
        )
        .await?;
        app.click("[data-testid=import]").await?;
        app.click("[data-testid=import-start]").await?;
        Ok(app)
    }

    async fn start_with(db: &Path, env: &[(&str, &str)]) -> Res<App> {
        if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
            return Err(
                "no DISPLAY: the app needs a display; run `make e2e`, which starts Xvfb".into(),
            );
        }
        let app = app_binary();
        if !app.exists() {
            return Err(format!("{} is missing: run `make build` first", app.display()).into());
        }
        let port = free_port()?;
        let driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .env("ANNALS_DB", db)
            // The app's data folder (its log) beside the database, not the
            // user's: each test reads its own log.
            .env("XDG_DATA_HOME", data_home(db))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start WebKitWebDriver (apt install webkit2gtk-driver): {e}")
            })?;
        let mut app_guard = DriverGuard(Some(driver));
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("WebKitWebDriver did not start listening".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({ "webkitgtk:browserOptions": { "binary": app, "args": [] } });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await?;
        let driver = app_guard.0.take().ok_or("driver gone")?;
        let app = App {
            client,
            driver: Some(driver),
        };
        // The page is up when it shows either the toolbar or the error screen:
        // a database refused at start can reach the page before the toolbar's
        // first paint, and then no count is ever drawn.
        app.wait_for("[data-testid=result-count], [data-testid=app-error]")
            .await?;
        Ok(app)
    }

    /// When the page first drew events (its `annals:first-data-paint` mark),
    /// waiting for it: in ms since the page started, or since the Unix epoch
    /// (`since_epoch`, to set against the launch).
    #[allow(dead_code)] // used by the measuring examples
    pub async fn first_data_paint(&self, since_epoch: bool) -> Res<f64> {
        let script = format!(
            "const m = performance.getEntriesByName('annals:first-data-paint')[0];\
             return m ? {}m.startTime : null;",
            if since_epoch {
                "performance.timeOrigin + "
            } else {
                ""
            }
        );
        self.eventually("the first frame with events", || async {
            Ok(self.client.execute(&script, vec![]).await?.as_f64())
        })
        .await
    }

    /// The WebKitWebDriver process; the app and its web processes are below it.
    #[allow(dead_code)] // used by the start-up measurement (startup.rs), not the tests
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.as_ref().map(Child::id)
    }

    /// Ends the WebDriver session (which closes the app) and stops the driver.
    pub async fn quit(mut self) -> Res {
        let closed = self.client.clone().close().await;
        if let Some(mut d) = self.driver.take() {
            terminate(&mut d);
        }
        closed?;
        Ok(())
    }

    /// Waits for an element. Generous: the first launch on a fresh machine (WebKit
    /// and GStreamer building their caches) or a loaded CI machine can take seconds.
    pub async fn wait_for(&self, css: &str) -> Res<Element> {
        Ok(self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await?)
    }

    pub async fn find_all(&self, css: &str) -> Res<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Clicks an element; while something covers it (a toast), waits as a user
    /// would, for up to [`WAIT`].
    pub async fn click(&self, css: &str) -> Res {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.wait_for(css).await?.click().await {
                Ok(_) => return Ok(()),
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Clears a form field and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> Res {
        let field = self.wait_for(css).await?;
        field.clear().await?;
        if !text.is_empty() {
            field.send_keys(text).await?;
        }
        Ok(())
    }

    /// Selects the option whose value is `value` in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) -> Res {
        let sel = self.wait_for(css).await?;
        sel.select_by_value(value).await?;
        Ok(())
    }

    pub async fn text(&self, css: &str) -> Res<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Polls `f` until it returns `Some`, for up to [`WAIT`].
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut f: F) -> Res<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Res<Option<T>>>,
    {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(v) = f().await? {
                return Ok(v);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The result count the toolbar shows ("21 events" -> 21).
    pub async fn result_count(&self) -> Res<u32> {
        let t = self.text("[data-testid=result-count]").await?;
        let n: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',')
            .filter(|c| *c != ',')
            .collect();
        Ok(n.parse()
            .map_err(|_| format!("result count `{t}` has no number"))?)
    }

    /// Takes a screenshot of the window into `path` (PNG), for looking at a flow.
    #[allow(dead_code)]
    pub async fn screenshot(&self, path: &Path) -> Res {
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }

    /// Saves a screenshot as `name` in the folder `ANNALS_E2E_SHOTS` names, when
    /// it is set: for looking at a flow.
    pub async fn shot(&self, name: &str) -> Res {
        if let Some(dir) = std::env::var_os("ANNALS_E2E_SHOTS") {
            self.screenshot(&Path::new(&dir).join(name)).await?;
        }
        Ok(())
    }

    /// Waits until the toolbar count is `n`.
    pub async fn wait_count(&self, n: u32) -> Res {
        self.eventually(&format!("{n} events"), || async {
            Ok((self.result_count().await? == n).then_some(()))
        })
        .await
    }

    /// Presses a key with modifiers on the page (`Ctrl+Shift+E`: the page's own
    /// shortcut; GTK's menu accelerators are not reached over WebDriver).
    pub async fn press(&self, key: &str, ctrl: bool, shift: bool) -> Res {
        let script = "window.dispatchEvent(new KeyboardEvent('keydown', \
                      {key: arguments[0], ctrlKey: arguments[1], shiftKey: arguments[2], bubbles: true}));";
        self.client
            .execute(script, vec![json!(key), json!(ctrl), json!(shift)])
            .await?;
        Ok(())
    }

    /// Titles of the rows of the list view, in order (only the loaded page).
    pub async fn list_titles(&self) -> Res<Vec<(i64, String)>> {
        let script = "return Array.from(document.querySelectorAll('[data-testid=event-row]'))\
                      .map(r => [Number(r.getAttribute('data-event-id')), r.textContent]);";
        let v = self.client.execute(script, vec![]).await?;
        let rows = v.as_array().cloned().unwrap_or_default();
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r[0].as_i64().unwrap_or(-1),
                    r[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect())
    }

    /// The events the canvas drew as marks (its `data-drawn` attribute), read once
    /// it has settled: no window request in flight and the same marks in two frames
    /// 150 ms apart. A read in the middle of a change
    /// (say, right after "Fit all", before the wider window has arrived) would give
    /// positions that the next frame moves.
    pub async fn drawn(&self) -> Res<Vec<Value>> {
        let read = || async {
            let canvas = self.wait_for("canvas[data-testid=timeline]").await?;
            let busy = canvas.attr("aria-busy").await?.as_deref() == Some("true");
            let drawn = canvas
                .attr("data-drawn")
                .await?
                .unwrap_or_else(|| "[]".into());
            Res::Ok((busy, drawn))
        };
        let attr = self
            .eventually("the timeline to settle", || async {
                let (busy, first) = read().await?;
                tokio::time::sleep(Duration::from_millis(150)).await;
                let (still_busy, second) = read().await?;
                Ok((!busy && !still_busy && first == second).then_some(second))
            })
            .await?;
        let v: Value = serde_json::from_str(&attr)?;
        Ok(v.as_array().cloned().unwrap_or_default())
    }

    /// Clicks the canvas at a point relative to its top-left corner.
    pub async fn click_canvas(&self, x: f64, y: f64) -> Res {
        let script = "const c = document.querySelector('canvas[data-testid=timeline]');\
             const r = c.getBoundingClientRect();\
             const o = { bubbles: true, cancelable: true, clientX: r.left + arguments[0], clientY: r.top + arguments[1], button: 0, pointerId: 1, isPrimary: true, pointerType: 'mouse' };\
             for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {\
               const E = t.startsWith('pointer') ? PointerEvent : MouseEvent; c.dispatchEvent(new E(t, o)); }";
        self.client
            .execute(script, vec![json!(x), json!(y)])
            .await?;
        Ok(())
    }
}

/// (pid, ppid) of every process, from /proc.
pub fn processes() -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name is in parentheses and may contain spaces.
        let after = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
        if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            out.push((pid, ppid));
        }
    }
    out
}

/// Milliseconds since the Unix epoch, to set against the page's
/// `performance.timeOrigin`.
#[allow(dead_code)] // used by the measuring examples
pub fn epoch_ms() -> f64 {
    #[allow(clippy::disallowed_methods)] // a measurement, outside the core
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// A /proc/PID/smaps_rollup or status field in kB.
#[allow(dead_code)] // used by the measuring examples
fn field_kb(path: &str, name: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// (RSS, PSS) in MiB of every process below `root`, and their names.
#[allow(dead_code)] // used by the measuring examples
pub fn memory_below(root: u32) -> (f64, f64, Vec<String>) {
    let procs = processes();
    let mut stack = vec![root];
    let (mut rss, mut pss, mut names) = (0, 0, Vec::new());
    while let Some(p) = stack.pop() {
        for &(child, _) in procs.iter().filter(|(_, pp)| *pp == p) {
            rss += field_kb(&format!("/proc/{child}/status"), "VmRSS:");
            pss += field_kb(&format!("/proc/{child}/smaps_rollup"), "Pss:");
            names.push(
                std::fs::read_to_string(format!("/proc/{child}/comm"))
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            );
            stack.push(child);
        }
    }
    (rss as f64 / 1024.0, pss as f64 / 1024.0, names)
}

/// Processes below `root` (the app and its web processes below the driver).
pub fn descendants(root: u32) -> Vec<u32> {
    let parent_of = processes();
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        for &(child, _) in parent_of.iter().filter(|(_, pp)| *pp == p) {
            out.push(child);
            stack.push(child);
        }
    }
    out
}

/// Stops WebKitWebDriver gracefully (SIGKILL would orphan the browser process)
/// and, so no app outlives its test (an orphaned app keeps a
/// core busy and skews the next measurement), everything it started.
fn terminate(child: &mut Child) {
    let below = descendants(child.id());
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    for pid in &below {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .status();
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Stops the driver if launching fails half way.
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            terminate(&mut c);
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(mut d) = self.driver.take() {
            terminate(&mut d);
        }
    }
}

/// `annals ARGS --db DB --format json`, parsed.
pub fn cli_json(db: &Path, args: &[&str]) -> Res<Vec<Value>> {
    let out = Command::new(cli_binary())
        .args(args)
        .arg("--db")
        .arg(db)
        .args(["--format", "json"])
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    let v: Value = serde_json::from_slice(&out.stdout)?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// p50, p95 and max of `v` (zeros when empty).
#[allow(dead_code)] // used by the measuring examples
pub fn spread(mut v: Vec<f64>) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), v[v.len() - 1])
}

/// The database of `n` synthetic events (`annals gen --seed 1`), generated once
/// under `target/frames/` and kept for the next run.
#[allow(dead_code)] // used by the measuring examples
pub fn generated(n: usize) -> Res<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/frames");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join(format!("gen-{n}.sqlite3"));
    if db.exists() {
        return Ok(db);
    }
    let partial = dir.join(format!("gen-{n}.partial.sqlite3"));
    let _ = std::fs::remove_file(&partial);
    println!("generating {n} events (once; kept as {})", db.display());
    let out = Command::new(cli_binary())
        .args(["gen", "--events", &n.to_string(), "--seed", "1", "--db"])
        .arg(&partial)
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    print!("{}", String::from_utf8_lossy(&out.stdout));
    std::fs::rename(&partial, &db)?;
    Ok(db)
}
