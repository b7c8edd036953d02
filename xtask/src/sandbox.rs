//! Runs DynamoDB Local where only this machine's loopback reaches it.
//!
//! DynamoDB Local has no bind-address option: it listens on every interface. So it runs in a
//! network namespace of its own (inside an unprivileged user namespace: no root needed), whose
//! only interface is its own loopback, and this process forwards `127.0.0.1:<port>` of the
//! machine to it. The trick: the listening socket is opened before this process leaves the
//! machine's network namespace, so it stays there, while every connection made afterwards (to
//! DynamoDB Local) is made inside the private one.
//!
//! Where user namespaces are disabled, it refuses, saying why, unless the user accepts the
//! exposure with `STRATUS_DYNAMODB_ANY_INTERFACE=1`.

use std::ffi::OsString;
use std::io;
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};
use std::time::Duration;

/// The opt-in to running DynamoDB Local unconfined where no private namespace can be made.
pub const ANY_INTERFACE_OPT_IN: &str = "STRATUS_DYNAMODB_ANY_INTERFACE";

/// `xtask __dynamodb-sandbox <port> <java> <args>...`, started by the local stack.
pub fn main(args: &[OsString]) -> ExitCode {
    let (Some(port), Some((program, program_args))) = (
        args.first().and_then(|p| p.to_str()?.parse::<u16>().ok()),
        args.get(1..).and_then(<[_]>::split_first),
    ) else {
        eprintln!("usage: xtask __dynamodb-sandbox <port> <program> [args...]");
        return ExitCode::FAILURE;
    };
    let mut command = Command::new(program);
    command.args(program_args);
    // SAFETY: prctl is async-signal-safe; it makes the emulator die with this process, so
    // stopping the sandbox stops DynamoDB Local too.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }

    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("sandbox: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = enter_private_network() {
        if std::env::var_os(ANY_INTERFACE_OPT_IN).is_none_or(|v| v != "1") {
            eprintln!(
                "sandbox: this machine allows no private network namespace ({error}), and without one DynamoDB Local would listen on every \
                 network interface, open to anyone on your network. Allow unprivileged user namespaces \
                 (sysctl kernel.unprivileged_userns_clone=1), or accept the exposure with {ANY_INTERFACE_OPT_IN}=1."
            );
            return ExitCode::FAILURE;
        }
        eprintln!("sandbox: no private network namespace here ({error}); DynamoDB Local listens on all interfaces ({ANY_INTERFACE_OPT_IN}=1)");
        drop(listener);
        return wait_for(command.spawn());
    }
    println!("sandbox: DynamoDB Local runs in a private network namespace, reachable only at 127.0.0.1:{port}");
    let child = command.spawn();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || forward(client, port));
        }
    });
    wait_for(child)
}

fn wait_for(child: io::Result<std::process::Child>) -> ExitCode {
    match child.and_then(|mut child| child.wait()) {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            eprintln!("sandbox: DynamoDB Local exited ({status})");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("sandbox: could not run DynamoDB Local: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Moves this (still single-threaded) process into new user and network namespaces, as root
/// of the new user namespace so that it may bring the new loopback interface up.
fn enter_private_network() -> io::Result<()> {
    // SAFETY: plain syscalls on this process; unshare needs a single thread, which holds here
    // because the sandbox runs before anything else in xtask starts a thread.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) } != 0 {
        return Err(io::Error::last_os_error());
    }
    std::fs::write("/proc/self/setgroups", "deny")?;
    std::fs::write("/proc/self/uid_map", format!("0 {uid} 1"))?;
    std::fs::write("/proc/self/gid_map", format!("0 {gid} 1"))?;
    bring_loopback_up()
}

fn bring_loopback_up() -> io::Result<()> {
    // SAFETY: an ioctl pair on a socket we own, with an ifreq we own, naming "lo".
    unsafe {
        let socket = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
        if socket < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut request: libc::ifreq = std::mem::zeroed();
        for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
            *slot = *byte as libc::c_char;
        }
        let mut result = libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request);
        if result == 0 {
            request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            result = libc::ioctl(socket, libc::SIOCSIFFLAGS, &request);
        }
        let error = io::Error::last_os_error();
        libc::close(socket);
        if result != 0 {
            return Err(error);
        }
    }
    Ok(())
}

/// Copies bytes both ways between a client on the machine's loopback and DynamoDB Local.
fn forward(client: TcpStream, port: u16) {
    // While DynamoDB Local starts, connections are refused: the client sees its connection
    // closed, which health checks read as "not answering yet".
    let Ok(server) =
        TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(2))
    else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(mut client_reader), Ok(mut server_writer)) = (client.try_clone(), server.try_clone())
    else {
        return;
    };
    let upstream = std::thread::spawn(move || {
        let _ = io::copy(&mut client_reader, &mut server_writer);
        let _ = server_writer.shutdown(Shutdown::Write);
    });
    let (mut server_reader, mut client_writer) = (server, client);
    let _ = io::copy(&mut server_reader, &mut client_writer);
    let _ = client_writer.shutdown(Shutdown::Write);
    let _ = upstream.join();
}
