import CatalogJSON
import Foundation
import Logging
import Synchronization

/// The server side of process isolation for one plugin file: starts its worker process
/// (`EXECUTABLE plugins worker FILE`, connected by a Unix socket pair), forwards calls to it,
/// and when it dies ends the calls it held (the host answers 502), marks its plugins not serving (503),
/// and starts it again after a backoff that doubles with each quick crash (0.5 s to 30 s).
final class WorkerSupervisor: Sendable {
    let file: String
    private let executable: String
    private let configurationFiles: [String]
    private let startDeadline: Duration
    private let logger: Logger
    private let metrics: ServerMetrics
    private let state = Mutex(State())
    /// Where frames to the worker are written.
    private let sendQueue = DispatchQueue(label: "catalog.worker.send")
    /// Answers for calls this worker was not given, logged without flooding.
    private let forgedAnswers: ThrottledLog

    private struct State {
        var channel: FrameChannel?
        var process: Process?
        var startedAt = ContinuousClock.now
        var outstanding: Set<UInt64> = []
        var plugins: [HostedPlugin] = []
        var quickCrashes = 0
        var stopping = false
    }

    init(file: String, executable: String, configurationFiles: [String], startDeadline: Duration, metrics: ServerMetrics, logger: Logger) {
        self.file = file
        self.metrics = metrics
        self.executable = executable
        self.configurationFiles = configurationFiles
        self.startDeadline = startDeadline
        self.logger = logger
        self.forgedAnswers = ThrottledLog(logger: logger)
    }

    /// Whether a worker is connected.
    var isRunning: Bool { state.withLock { $0.channel != nil } }

    /// The plugins this worker serves, whose state follows the worker's.
    func attach(_ plugins: [HostedPlugin]) {
        state.withLock { $0.plugins = plugins }
    }

    /// Starts the worker and waits for its report.
    func start() async throws -> WorkerReady {
        var sockets: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets) == 0 else {
            throw WorkerError("cannot create a socket pair: \(String(cString: strerror(errno)))")
        }
        for socket in sockets { _ = fcntl(socket, F_SETFD, FD_CLOEXEC) }
        var sendTimeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(sockets[0], SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))

        let process = ChildProcess.make(executable: executable, mode: "worker", file: file, configurationFiles: configurationFiles)
        // The socket is the worker's standard input only. Its standard output is the server's
        // standard error: whatever a plugin prints there is a log line, never a frame.
        process.standardInput = FileHandle(fileDescriptor: sockets[1], closeOnDealloc: false)
        process.standardOutput = FileHandle.standardError
        do {
            try process.run()
        } catch {
            close(sockets[0])
            close(sockets[1])
            throw WorkerError("cannot start the worker \(executable): \(error)")
        }
        close(sockets[1])
        let channel = FrameChannel(descriptor: sockets[0])

        let pid = process.processIdentifier
        let socket = sockets[0]
        // Killing the worker ends the read, and so does shutting the socket down should a process
        // the plugin started still hold the other end.
        let first = await withDeadline(startDeadline, onTimeout: { kill(pid, SIGKILL); shutdown(socket, Int32(SHUT_RDWR)) }) {
            await onDedicatedThread { try? channel.receive() }
        }
        guard case .finished(let frame) = first, let ready = frame?.ready else {
            // No ready report (a garbled or foreign first frame too): the worker goes.
            if process.isRunning { kill(pid, SIGKILL) }
            await onDedicatedThread { process.waitUntilExit() }
            channel.close()
            throw WorkerError("the worker for \(file) did not report ready (\(Self.describe(process)))")
        }
        state.withLock {
            $0.channel = channel
            $0.process = process
            $0.startedAt = .now
        }
        Thread.detachNewThread { [self] in readResponses(from: channel, process: process) }
        return ready
    }

    /// Sends a call to the worker and waits for its answer, or the deadline. The call is tied
    /// to the request the calling task serves (``PendingCalls/requestID``).
    func call(_ frame: WorkerFrame, deadline: Duration) async -> PluginCallOutcome {
        let requestID = PendingCalls.requestID
        return await withUnsafeContinuation { continuation in
            call(frame, deadline: deadline, requestID: requestID) { continuation.resume(returning: $0) }
        }
    }

    /// Sends a call to the worker; `answer` receives its answer, or the end of the deadline,
    /// once, on the thread that reads the worker's answers or the deadline thread.
    ///
    /// The frame is written on the supervisor's own send queue, never on the caller's thread:
    /// a worker that stops reading its socket holds up only its own calls.
    func call(
        _ frame: WorkerFrame, deadline: Duration, requestID: String?, answer: @escaping @Sendable (PluginCallOutcome) -> Void
    ) {
        var frame = frame
        frame.requestID = requestID
        frame.deadlineMilliseconds = deadline.milliseconds
        let sent = SentCall()
        PendingCalls.shared.start(deadline: deadline, requestID: requestID, { id in
            let channel = state.withLock { state -> FrameChannel? in
                if state.channel != nil { state.outstanding.insert(id) }
                return state.channel
            }
            guard sent.id.compareExchange(expected: 0, desired: id, ordering: .acquiringAndReleasing).exchanged else {
                // Ended already (its deadline passed at once): not sent, not kept.
                state.withLock { _ = $0.outstanding.remove(id) }
                return
            }
            guard let channel else {
                PendingCalls.shared.finish(
                    id, with: .responded(PluginReply.error(503, "the worker for this plugin is restarting; retry later")), reportingUnknown: false)
                return
            }
            var numbered = frame
            numbered.id = id
            sendQueue.async { [self, numbered] in
                // Ended while it waited for the queue (its deadline, the worker gone): not sent.
                guard sent.id.load(ordering: .acquiring) != SentCall.ended else { return }
                do {
                    try channel.send(numbered)
                } catch {
                    guard state.withLock({ $0.outstanding.remove(id) }) != nil else { return }
                    PendingCalls.shared.finish(id, with: .responded(PluginReply.error(503, "the worker for this plugin is not reachable; retry later")))
                }
            }
        }, answer: { [self] outcome in
            let id = sent.id.exchange(SentCall.ended, ordering: .acquiringAndReleasing)
            if id != 0 { state.withLock { _ = $0.outstanding.remove(id) } }
            answer(outcome)
        })
    }

    /// Asks the worker to stop its plugins and exit; kills it after `deadline`.
    func stop(deadline: Duration) async {
        let (channel, process) = state.withLock { state in
            state.stopping = true
            return (state.channel, state.process)
        }
        guard let channel, let process else { return }
        try? channel.send(WorkerFrame(kind: .stop))
        let pid = process.processIdentifier
        let exited = await withDeadline(deadline, onTimeout: { kill(pid, SIGKILL) }) {
            await onDedicatedThread { process.waitUntilExit() }
        }
        if case .timedOut = exited { logger.warning("the worker for \(file) did not stop within \(deadline); killed") }
    }

    /// The reader thread: delivers answers until the worker goes away, then handles its exit.
    private func readResponses(from channel: FrameChannel, process: Process) {
        while let frame = try? channel.receive() {
            guard frame.kind == .response, let id = frame.id, let response = frame.response else { continue }
            // Only a call this worker was given, and is still waiting, may be answered by it.
            guard state.withLock({ $0.outstanding.remove(id) }) != nil else {
                forgedAnswers.note("forged", level: .warning, "\(file): the worker answered a call it was not given or that is over; ignored")
                continue
            }
            PendingCalls.shared.finish(id, with: .responded(PluginReply.oversized(response.body.count) ?? response.reply))
        }
        channel.close()
        process.waitUntilExit()
        workerExited(Self.describe(process))
    }

    private func workerExited(_ reason: String) {
        let (outstanding, plugins, stopping, delay) = state.withLock { state in
            let outstanding = state.outstanding
            state.outstanding = []
            state.channel = nil
            state.process = nil
            if ContinuousClock.now - state.startedAt > .seconds(10) { state.quickCrashes = 0 }
            state.quickCrashes += 1
            let delay = Duration.milliseconds(min(30_000, 500 << min(state.quickCrashes - 1, 6)))
            return (outstanding, state.plugins, state.stopping, delay)
        }
        for id in outstanding {
            PendingCalls.shared.finish(id, with: .workerExited(reason: reason), reportingUnknown: false)
        }
        guard !stopping else { return }
        let message = "worker process exited (\(reason)); restarting in \(delay)"
        logger.error("\(file): \(message)")
        for plugin in plugins {
            plugin.updateState {
                $0.serving = false
                $0.lastError = message
            }
        }
        Task { await restart(after: delay) }
    }

    private func restart(after delay: Duration) async {
        try? await Task.sleep(for: delay)
        guard !state.withLock({ $0.stopping }) else { return }
        for plugin in state.withLock({ $0.plugins }) { metrics.workerRestart(plugin: plugin.name) }
        do {
            let ready = try await start()
            let plugins = state.withLock { $0.plugins }
            for plugin in plugins {
                let report = ready.plugins.first { $0.identity.name == plugin.name }
                plugin.updateState {
                    $0.serving = report?.serving ?? false
                    $0.lastError = report == nil ? "the restarted worker no longer provides this plugin" : report?.lastError
                }
            }
            logger.notice("\(file): worker restarted")
        } catch {
            workerExited("\(error)")
        }
    }

    private static func describe(_ process: Process) -> String {
        switch process.terminationReason {
        case .uncaughtSignal:
            "signal \(process.terminationStatus) (\(String(cString: strsignal(process.terminationStatus))))"
        case .exit:
            "exit status \(process.terminationStatus)"
        @unknown default:
            "status \(process.terminationStatus)"
        }
    }

    struct WorkerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The id a call to a worker was given, for its answer to find: 0 until then (a call id is
/// never 0), ``ended`` once the call has ended — then, should the call be started only now, it
/// is neither sent nor kept.
private final class SentCall: Sendable {
    static let ended = UInt64.max
    let id = Atomic<UInt64>(0)
}

/// Calls to a plugin that runs in a worker process.
struct WorkerPluginCalls: PluginCalls {
    let supervisor: WorkerSupervisor
    let plugin: String

    func handle(
        _ request: ForwardedRequest, deadline: Duration, requestID: String?, on threads: PluginThreads,
        answer: @escaping @Sendable (PluginCallOutcome) -> Void
    ) {
        supervisor.call(WorkerFrame(kind: .request, plugin: plugin, request: WireRequest(request)), deadline: deadline, requestID: requestID, answer: answer)
    }

    func invoke(_ operation: String, input: [UInt8], deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome {
        await supervisor.call(WorkerFrame(kind: .invoke, plugin: plugin, operation: operation, input: Data(input)), deadline: deadline)
    }

    func healthy() -> Bool { supervisor.isRunning }
}
