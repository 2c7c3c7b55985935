"""dbt-unskip's dbt fork server ("zygote") and its client, in one file.

Every `dbt` process spends ~1.7 s of CPU importing dbt.cli.main and its adapter before it does
anything. The server imports them once, then forks a child per dbt call; the child runs the dbt
console script exactly as a fresh `dbt` process would, with the caller's stdin/stdout/stderr,
working folder, environment and arguments. Node starts it (src/adapters/dbt/dbtForkServer.ts) only
for a standard pip console script of `dbt.cli.main:cli`, with that script's own interpreter.

  python dbtForkServer.py serve DBT_SCRIPT     the server: prints "ready SOCKET" once it listens,
                                               ends when its stdin closes (its Node process is gone)
  python -I -S dbtForkServer.py run SOCKET DBT_ARGS...
                                               the client spawnDbt starts instead of dbt: it behaves
                                               as the dbt it stands for (same exit code or signal);
                                               SIGTERM/SIGINT/SIGHUP end that dbt first. On fd 3 it
                                               writes "fallback" when the server could not run dbt
                                               (nothing ran: start dbt the plain way), and
                                               "started PID" once dbt runs (its process group).

A forked child is only as fresh as the server's imports: whatever they computed from the
environment, the working folder or the arguments is frozen in every child. So the server records
every environment variable its imports read and serves a call only when the call's environment
agrees on each of them (else "fallback"); dbt recomputes the rest per invocation (invocation id,
flags, profiles folder, logging, tracking, adapters), and the few import-time values that depend on
the working folder or the time zone are set again in the child.
"""

import os
import sys

FALLBACK = 75


# ---------------------------------------------------------------------------------------------
# Client: tiny and quick (started with -I -S: no site-packages, stdlib only).
# ---------------------------------------------------------------------------------------------


def client(argv):
    import json
    import signal
    import socket

    socket_path, dbt_args = argv[0], argv[1:]

    def fallback(reason):
        try:
            os.write(3, ("fallback %s\n" % reason).encode("utf-8", "replace"))
        except OSError:
            pass
        os._exit(FALLBACK)

    if not hasattr(socket, "send_fds"):
        fallback("this Python cannot pass file descriptors (3.9+ needed)")
    # A signal that means "stop dbt" is forwarded once the server has started dbt (before that,
    # when the server answers, dbt is stopped at once); the client then waits for dbt's end.
    state = {"conn": None, "started": False, "forwarded": False, "stop": None, "pid": 0}

    def on_stop(signum, frame):
        if state["stop"] is None:
            state["stop"] = signum
        forward()

    def forward():
        if state["started"] and state["stop"] is not None and not state["forwarded"]:
            state["forwarded"] = True
            try:
                state["conn"].sendall(b"term\n")
            except OSError:
                pass

    def die_as(signum):
        try:
            signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signum])
        except (OSError, ValueError):
            pass  # SIGKILL (dbt killed outright, by spawnDbt or the OOM killer) has no handler to reset
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)

    def end_group(pid):
        import time

        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            return
        for _ in range(600):
            try:
                os.killpg(pid, 0)
            except OSError:
                return
            time.sleep(0.05)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_stop)
    try:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        state["conn"] = conn
        conn.connect(socket_path)
        request = json.dumps({"argv": dbt_args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode("utf-8")
        socket.send_fds(conn, [len(request).to_bytes(8, "big")], [0, 1, 2])
        conn.sendall(request)
    except OSError as error:
        if state["stop"] is not None:
            die_as(state["stop"])
        fallback("cannot reach the server: %s" % error)
    reader = conn.makefile("rb")
    while True:
        try:
            line = reader.readline()
        except OSError:
            line = b""
        if not line:
            if not state["started"]:
                if state["stop"] is not None:
                    die_as(state["stop"])
                fallback("the server closed the connection before dbt started")
            # The server died while dbt ran (killed outright: it could not end its children). dbt
            # runs in a process group of its own: end it here, and wait until it is gone, so that
            # this call still means "no dbt left running" when it returns.
            end_group(state["pid"])
            os.write(2, b"dbt-unskip: the dbt fork server ended during the run\n")
            os._exit(70)
        word, _, value = line.decode("utf-8", "replace").strip().partition(" ")
        if word == "fallback":
            # Nothing ran. A stop asked for meanwhile ends this call as it would have ended dbt.
            if state["stop"] is not None:
                die_as(state["stop"])
            fallback(value)
        elif word == "started":
            state["pid"] = int(value)
            state["started"] = True
            # For spawnDbt: dbt's process group, which it kills itself when a stop's grace runs out
            # (the server then answers "signal 9", and this client ends after dbt is gone).
            try:
                os.write(3, ("started %d\n" % state["pid"]).encode("utf-8"))
            except OSError:
                pass
            forward()
        elif word == "exit":
            os._exit(int(value))
        elif word == "signal":
            die_as(int(value))


# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------


class _Watched(type(os.environ)):
    """os.environ that notes every name read through it (while `recording`)."""

    recording = True
    names = set()
    iterated_by = set()

    def _note(self, name):
        if _Watched.recording:
            _Watched.names.add(name)

    def __getitem__(self, name):
        self._note(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self._note(name)
        return super().__contains__(name)

    def get(self, name, default=None):
        self._note(name)
        return super().get(name, default)

    def __iter__(self):
        if _Watched.recording:
            frame = sys._getframe(1)
            while frame is not None and ("_collections_abc" in frame.f_code.co_filename or frame.f_code.co_filename.endswith("os.py")):
                frame = frame.f_back
            _Watched.iterated_by.add(frame.f_code.co_filename if frame is not None else "?")
        return super().__iter__()


# Modules known to scan the whole environment at import, and the prefix they look for.
_KNOWN_SCANS = {os.path.join("networkx", "utils", "backends.py"): "NETWORKX_"}

# Read by the interpreter itself at start-up (stdio encoding, sys.path, bytecode, hashing, locale).
_INTERPRETER_PREFIXES = ("PYTHON", "LC_")
_INTERPRETER_NAMES = {"LANG", "LANGUAGE", "HOME"}


# The classes whose JSON schema dbt builds the first time it validates one, for the commands
# dbt-unskip runs (dbt-core 1.11: what a parse of the bundled example builds; its compile, run,
# build, test, seed, snapshot, ls and docs generate build no other). Each schema is a pure function
# of its class, kept on the class (`functools.lru_cache` on dbtClassMixin.json_schema), and every
# fresh dbt process builds these again: about 1 s of CPU per parse. Built once in the server, every
# child inherits them. A name this dbt does not have is skipped: warming only ever saves time, it
# never changes an answer (test/integration/dbtForkServer.int.test.ts compares every kind of call
# with plain dbt, and holds this list to what a parse builds).
_SCHEMA_CLASSES = (
    ("dbt.contracts.project", ("ProjectFlags", "ProfileConfig", "Project", "PackageConfig", "Configuration")),
    ("dbt.contracts.selection", ("SelectorFile",)),
    ("dbt.contracts.graph.nodes", ("ModelNode", "SeedNode", "SnapshotNode", "GenericTestNode")),
    ("dbt.contracts.graph.unparsed", ("UnparsedModelUpdate", "UnparsedNodeUpdate", "UnparsedSourceDefinition")),
    ("dbt.artifacts.resources.v1.components", ("Contract",)),
    ("dbt.artifacts.resources.v1.config", ("TestConfig",)),
    ("dbt.artifacts.resources.v1.model", ("ModelConfig",)),
    ("dbt.artifacts.resources.v1.seed", ("SeedConfig",)),
    ("dbt.artifacts.resources.v1.snapshot", ("SnapshotConfig",)),
    ("dbt.artifacts.resources.v1.source_definition", ("SourceConfig",)),
)


def _schema_classes():
    """The classes above that the server's imports loaded (it imports nothing more for them), and
    the credentials class of every adapter it imported."""
    found = []
    for module_name, names in _SCHEMA_CLASSES:
        module = sys.modules.get(module_name)
        found.extend(getattr(module, name, None) for name in names)
    connection = sys.modules.get("dbt.adapters.contracts.connection")
    pending, seen = [getattr(connection, "Credentials", None)], set()
    while pending:
        cls = pending.pop()
        if isinstance(cls, type) and cls not in seen:
            seen.add(cls)
            pending.extend(cls.__subclasses__())
            if cls.__module__.startswith("dbt.adapters.") and cls.__name__ != "Credentials":
                found.append(cls)
    return [cls for cls in found if callable(getattr(cls, "json_schema", None))]


def warm_schemas():
    for cls in _schema_classes():
        try:
            cls.json_schema()
        except Exception:  # noqa: BLE001 - a class dbt cannot describe is described (or not) in the child, as before
            pass


# The serializers (mashumaro's from_dict / to_dict / from_msgpack / to_msgpack, one class each) dbt
# compiles the first time it calls them, for the commands dbt-unskip runs (dbt-core 1.11: what
# parse --no-partial-parse, compile and run, with and without partial parsing, compile on the
# bundled example). dbt's classes ask mashumaro for lazy compilation: each method is generated from
# its class alone on its first call and then replaces itself on the class, so every fresh dbt
# process compiles these again: about 0.5 s of CPU per parse. The first call compiles before it
# reads its argument, so the server calls each with an argument it cannot take (None, or an instance
# with no fields set), drops the error, and every child inherits the compiled method. Adapters
# other than DuckDB compile their own classes in the child, as before. The test in
# test/integration/dbtForkServer.int.test.ts holds this list to what those commands compile.
_SERIALIZERS = (
    ("dbt.adapters.contracts.connection", ("AdapterResponse to_dict", "QueryComment to_dict")),
    ("dbt.adapters.contracts.relation", ("Path from_dict to_dict", "Policy from_dict to_dict")),
    ("dbt.adapters.duckdb.credentials", ("DuckDBCredentials from_dict to_dict",)),
    ("dbt.adapters.duckdb.relation", ("DuckDBRelation from_dict to_dict",)),
    ("dbt.artifacts.resources.base", ("Docs from_dict to_dict", "FileHash from_dict to_dict")),
    ("dbt.artifacts.resources.v1.components", ("ColumnConfig from_dict to_dict", "ColumnInfo from_dict to_dict",
        "Contract from_dict to_dict", "DependsOn from_dict to_dict", "FreshnessThreshold from_dict to_dict",
        "MacroDependsOn from_dict to_dict", "Quoting from_dict to_dict", "RefArgs from_dict to_dict",
        "Time from_dict to_dict")),
    ("dbt.artifacts.resources.v1.config", ("ContractConfig from_dict to_dict", "TestConfig from_dict to_dict")),
    ("dbt.artifacts.resources.v1.documentation", ("Documentation from_dict to_dict",)),
    ("dbt.artifacts.resources.v1.generic_test", ("GenericTest from_dict to_dict", "TestMetadata from_dict to_dict")),
    ("dbt.artifacts.resources.v1.macro", ("Macro from_dict to_dict", "MacroConfig from_dict to_dict")),
    ("dbt.artifacts.resources.v1.model", ("Model from_dict to_dict", "ModelConfig from_dict to_dict")),
    ("dbt.artifacts.resources.v1.seed", ("Seed from_dict to_dict", "SeedConfig from_dict to_dict")),
    ("dbt.artifacts.resources.v1.snapshot", ("Snapshot from_dict to_dict", "SnapshotConfig from_dict to_dict",
        "SnapshotMetaColumnNames from_dict to_dict")),
    ("dbt.artifacts.resources.v1.source_definition", ("SourceConfig from_dict to_dict",
        "SourceDefinition from_dict to_dict")),
    ("dbt.artifacts.schemas.manifest.v12.manifest", ("ManifestMetadata to_dict", "WritableManifest to_dict")),
    ("dbt.artifacts.schemas.results", ("TimingInfo to_dict",)),
    ("dbt.artifacts.schemas.run.v5.run", ("RunResultOutput to_dict", "RunResultsArtifact to_dict",
        "RunResultsMetadata to_dict")),
    ("dbt.contracts.files", ("FilePath from_dict to_dict", "SchemaSourceFile from_dict to_dict",
        "SourceFile from_dict to_dict")),
    ("dbt.contracts.graph.manifest", ("Manifest from_msgpack to_msgpack",)),
    ("dbt.contracts.graph.nodes", ("Documentation to_dict", "GenericTestNode from_dict to_dict", "Macro to_dict",
        "ModelNode from_dict to_dict", "SeedNode from_dict to_dict", "SnapshotNode from_dict to_dict",
        "SourceDefinition to_dict")),
    ("dbt.contracts.graph.unparsed", ("UnparsedColumn from_dict", "UnparsedModelUpdate from_dict",
        "UnparsedNodeUpdate from_dict", "UnparsedSourceDefinition from_dict",
        "UnparsedSourceTableDefinition from_dict")),
    ("dbt.contracts.project", ("PackageConfig from_dict to_dict", "Project from_dict", "ProjectFlags from_dict")),
    ("dbt.contracts.selection", ("SelectorFile from_dict",)),
    ("dbt.parser.manifest", ("ManifestLoaderInfo to_dict", "ParserInfo to_dict", "ProjectLoaderInfo to_dict")),
    ("dbt_common.helper_types", ("WarnErrorOptionsV2 to_dict",)),
)


def _serializer_methods():
    """(class, method) for the entries above whose class the server's imports loaded."""
    found = []
    for module_name, entries in _SERIALIZERS:
        module = sys.modules.get(module_name)
        for entry in entries:
            name, *methods = entry.split()
            cls = getattr(module, name, None)
            if isinstance(cls, type):
                found.extend((cls, method) for method in methods if callable(getattr(cls, method, None)))
    return found


def warm_serializers():
    for cls, method in _serializer_methods():
        try:
            if method.startswith("from_"):
                getattr(cls, method)(None)
            else:
                getattr(object.__new__(cls), method)()
        except Exception:  # noqa: BLE001 - the call is meant to fail; what it compiled stays on the class
            pass


def warm():
    """What every child would build again on its own (see the two lists above)."""
    warm_schemas()
    warm_serializers()


def _environment_key(env, names, prefixes):
    return {k: v for k, v in env.items() if k in names or k.startswith(prefixes)}


def serve(dbt_script):
    import atexit
    import errno
    import json
    import runpy
    import selectors
    import signal
    import socket
    import tempfile
    import threading

    def note(text):
        try:
            os.write(2, ("dbt fork server: %s\n" % text).encode("utf-8", "replace"))
        except OSError:
            pass

    if not hasattr(socket, "send_fds") or not hasattr(os, "waitstatus_to_exitcode") or not hasattr(socket, "AF_UNIX"):
        note("Python %s cannot pass file descriptors over a Unix socket (3.9+ on a Unix)" % sys.version.split()[0])
        sys.exit(3)
    # As the console script itself would run: its own folder first on the import path.
    script = os.path.abspath(dbt_script)
    sys.path[0] = os.path.dirname(os.path.realpath(script))
    sys.argv = [script]
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    watched = _Watched(os.environ._data, os.environ.encodekey, os.environ.decodekey, os.environ.encodevalue, os.environ.decodevalue)
    real_environ = os.environ
    os.environ = watched
    try:
        import dbt.cli.main  # noqa: F401

        include = os.path.join(os.path.dirname(os.path.dirname(dbt.cli.main.__file__)), "include")
        for name in sorted(os.listdir(include)) if os.path.isdir(include) else []:
            if name in ("global_project", "starter_project") or name.startswith(("_", ".")):
                continue
            if os.path.isdir(os.path.join(os.path.dirname(include), "adapters", name)):
                __import__("dbt.adapters." + name)
        warm()
    except BaseException as error:  # noqa: BLE001 - any failure means: no server, plain dbt
        note("imports failed: %r" % (error,))
        sys.exit(3)
    finally:
        _Watched.recording = False
        os.environ = real_environ
    tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else 1
    if threading.active_count() != 1 or tasks != 1:
        note("threads after the imports (%d Python, %d native): never fork them" % (threading.active_count(), tasks))
        sys.exit(3)

    names = set(_Watched.names) | _INTERPRETER_NAMES
    prefixes = _INTERPRETER_PREFIXES
    for scanner in _Watched.iterated_by:
        known = [prefix for suffix, prefix in _KNOWN_SCANS.items() if scanner.endswith(suffix)]
        if not known:
            note("%s scans the whole environment at import: serving no call" % scanner)
            sys.exit(3)
        prefixes = prefixes + tuple(known)
    own_key = _environment_key(dict(os.environ), names, prefixes)

    folder = tempfile.mkdtemp(prefix="dbt-unskip-fork-")
    os.chmod(folder, 0o700)
    path = os.path.join(folder, "s")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.setblocking(False)

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    stopping = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))

    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, "lifeline")
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    children = {}  # pid -> connection
    connections = {}  # connection -> pid
    uid = os.getuid()

    def kill_group(pid, sig):
        try:
            os.killpg(pid, sig)
        except OSError:
            try:
                os.kill(pid, sig)
            except OSError:
                pass

    def reply(conn, text):
        try:
            conn.sendall((text + "\n").encode("utf-8"))
        except OSError:
            pass

    def drop(conn):
        try:
            selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        connections.pop(conn, None)
        conn.close()

    def run_child(conn, fds, request):
        """In the forked child: become the dbt process the client stands for. Never returns."""
        code = 1
        try:
            os.setsid()
            signal.set_wakeup_fd(-1)
            for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM):
                signal.signal(sig, signal.SIG_DFL)
            # Blocked across the fork (see accept): a SIGTERM sent meanwhile ends this child here.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
            # What a fresh Python sets: KeyboardInterrupt on SIGINT, SIGPIPE (and SIGXFSZ) ignored.
            signal.signal(signal.SIGINT, signal.default_int_handler)
            selector.close()
            listener.close()
            for other in list(connections):
                other.close()
            conn.close()
            os.close(wake_read)
            os.close(wake_write)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                if fd > 2:
                    os.close(fd)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            import time

            time.tzset()
            # Computed from TMPDIR on first use; the server's own use must not leak into the child.
            tempfile.tempdir = None
            process = sys.modules.get("multiprocessing.process")
            if process is not None:
                process.ORIGINAL_DIR = os.path.abspath(request["cwd"])
            sys.argv = [script] + list(request["argv"])
            try:
                runpy.run_path(script, run_name="__main__")
                code = 0
            except SystemExit as done:
                if done.code is None:
                    code = 0
                elif isinstance(done.code, int):
                    code = done.code
                else:
                    print(done.code, file=sys.stderr)
                    code = 1
            except KeyboardInterrupt:
                import traceback

                traceback.print_exc()
                code = -signal.SIGINT
            except BaseException:  # noqa: BLE001 - as Python prints an uncaught exception
                import traceback

                traceback.print_exc()
                code = 1
            try:
                threading._shutdown()
            except BaseException:  # noqa: BLE001
                pass
            try:
                atexit._run_exitfuncs()
            except BaseException:  # noqa: BLE001
                pass
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:  # noqa: BLE001
                    pass
            if code < 0:
                signal.signal(-code, signal.SIG_DFL)
                os.kill(os.getpid(), -code)
            os._exit(code & 0xFF)

    def accept():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        fds = []
        try:
            conn.setblocking(True)
            conn.settimeout(10)
            if hasattr(socket, "SO_PEERCRED"):
                import struct

                creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
                if struct.unpack("3i", creds)[1] != uid:
                    conn.close()
                    return
            header, fds, _, _ = socket.recv_fds(conn, 8, 3)
            while len(header) < 8:
                more = conn.recv(8 - len(header))
                if not more:
                    raise OSError("short request")
                header += more
            size = int.from_bytes(header, "big")
            body = b""
            while len(body) < size:
                more = conn.recv(min(1 << 20, size - len(body)))
                if not more:
                    raise OSError("short request")
                body += more
            request = json.loads(body.decode("utf-8"))
            if len(fds) != 3:
                raise OSError("expected three file descriptors, got %d" % len(fds))
        except (OSError, ValueError) as error:
            for fd in fds:
                os.close(fd)
            reply(conn, "fallback bad request: %s" % error)
            conn.close()
            return
        differ = sorted(k for k in set(own_key) | set(_environment_key(request["env"], names, prefixes)) if own_key.get(k) != request["env"].get(k))
        if differ:
            for fd in fds:
                os.close(fd)
            reply(conn, "fallback the imports read %s, set otherwise for this call" % ", ".join(differ))
            conn.close()
            return
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        # The client forwards a stop as soon as it reads "started", before the child may have set its
        # own handlers: a SIGTERM then would reach the server's (the child's copy notes it and dbt
        # runs on). Blocked across the fork, it waits in the child until run_child unblocks it.
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
        try:
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
            raise
        if pid == 0:
            run_child(conn, fds, request)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        for fd in fds:
            os.close(fd)
        children[pid] = conn
        connections[conn] = pid
        conn.setblocking(False)
        selector.register(conn, selectors.EVENT_READ, "client")
        reply(conn, "started %d" % pid)

    def reap():
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = children.pop(pid, None)
            if conn is None:
                continue
            if os.WIFSIGNALED(status):
                reply(conn, "signal %d" % os.WTERMSIG(status))
            else:
                reply(conn, "exit %d" % os.waitstatus_to_exitcode(status))
            drop(conn)

    def from_client(conn):
        pid = connections.get(conn)
        try:
            data = conn.recv(64)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if pid is None:
            return
        if not data:
            # The client is gone (killed): nobody waits for this dbt any more.
            kill_group(pid, signal.SIGKILL)
            try:
                selector.unregister(conn)
            except (KeyError, ValueError):
                pass
        elif b"term" in data:
            kill_group(pid, signal.SIGTERM)

    def shut_down():
        for pid in list(children):
            kill_group(pid, signal.SIGTERM)
        for _ in range(50):
            reap()
            if not children:
                break
            import time

            time.sleep(0.1)
        for pid in list(children):
            kill_group(pid, signal.SIGKILL)
        try:
            os.unlink(path)
            os.rmdir(folder)
        except OSError:
            pass
        os._exit(0)

    os.write(1, ("ready %s\n" % path).encode("utf-8"))
    while True:
        if stopping:
            shut_down()
        try:
            events = selector.select()
        except InterruptedError:
            continue
        for key, _ in events:
            if key.data == "lifeline":
                try:
                    data = os.read(0, 4096)
                except OSError as error:
                    data = b"" if error.errno != errno.EAGAIN else b"x"
                if not data:
                    shut_down()
            elif key.data == "listener":
                accept()
            elif key.data == "wake":
                try:
                    while os.read(wake_read, 512):
                        pass
                except BlockingIOError:
                    pass
                reap()
            else:
                from_client(key.fileobj)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "run":
        client(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        sys.stderr.write("usage: dbtForkServer.py serve DBT_SCRIPT | run SOCKET ARGS...\n")
        sys.exit(2)
