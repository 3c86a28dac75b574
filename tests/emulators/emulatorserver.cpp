// EmulatorServer: a QAbstractHttpServer on a thread of its own that turns each HTTP request
// into an EmuRequest, decides on a fault, and writes the emulator's EmuReply back.
#include "emulator.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <sys/socket.h>

#include <atomic>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <random>
#include <stdexcept>
#include <variant>

namespace sluice::emu {

namespace {

// What the server thread does with one request.
enum class Action
{
    Reply, // write `reply`, after `delayMs` when > 0
    Reset, // abort the connection with an RST
    Hang,  // say nothing; close the connection after `delayMs`
};

struct Decision
{
    Action action = Action::Reply;
    EmuReply reply;
    int delayMs = 0;
};

const char *methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

std::string decodeFormPart(QByteArray part)
{
    part.replace('+', ' '); // query strings are form-encoded: '+' is a space
    return QByteArray::fromPercentEncoding(part).toStdString();
}

EmuRequest toEmuRequest(const QHttpServerRequest &request)
{
    EmuRequest out;
    out.method = methodName(request.method());
    const QUrl url = request.url();
    out.path = url.path(QUrl::FullyDecoded).toStdString();
    const QByteArray query = url.query(QUrl::FullyEncoded).toUtf8();
    for (const QByteArray &item : query.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        if (eq < 0)
            out.query[decodeFormPart(item)] = std::string();
        else
            out.query[decodeFormPart(item.left(eq))] = decodeFormPart(item.mid(eq + 1));
    }
    const auto headers = request.headers();
    out.headers.reserve(static_cast<std::size_t>(headers.size()));
    for (const auto &[name, value] : headers)
        out.headers.emplace_back(name.toLower().toStdString(), value.toStdString());
    const QByteArray body = request.body();
    out.body.assign(body.constData(), static_cast<std::size_t>(body.size()));
    return out;
}

bool knownStatus(int status)
{
    static const QMetaEnum statuses = QMetaEnum::fromType<QHttpServerResponder::StatusCode>();
    return statuses.valueToKey(status) != nullptr;
}

// Makes close() send an RST instead of a FIN, as a crashed server or a middlebox would.
void abortWithReset(QTcpSocket *socket)
{
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        linger option{1, 0};
        ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
    }
    socket->abort();
}

// Counts accepted connections before QAbstractHttpServer takes them over.
template <class Base> class Counting final : public Base
{
public:
    std::function<void()> onConnection;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (onConnection)
            onConnection();
        Base::incomingConnection(descriptor);
    }
};

} // namespace

struct EmulatorServer::Impl
{
    EmulatorServer &owner;
    std::uint16_t port = 0;
    bool tls = false;
    std::unique_ptr<QThread> thread;
    std::atomic<int> latencyMs{0};

    // Guarded by owner.m_mutex, like the emulator.
    std::deque<Fault> queued;
    FaultMix mix;
    std::mt19937 random{1};
    ServerStats stats;

    explicit Impl(EmulatorServer &o) : owner(o) {}
    Decision decide(const EmuRequest &request);
    void countConnection()
    {
        std::lock_guard lock(owner.m_mutex);
        ++stats.connections;
    }
};

namespace {

class HttpServer final : public QAbstractHttpServer
{
public:
    using DecideFn = std::function<Decision(const EmuRequest &)>;
    explicit HttpServer(DecideFn decide) : m_decide(std::move(decide)) {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        Decision decision = m_decide(toEmuRequest(request));
        switch (decision.action) {
        case Action::Reset:
            abortWithReset(socket);
            break;
        case Action::Hang: {
            QTimer::singleShot(decision.delayMs, socket,
                               [socket] { socket->disconnectFromHost(); });
            break;
        }
        case Action::Reply:
            if (decision.delayMs <= 0) {
                write(request, socket, decision.reply);
            } else {
                // The request object lives as long as its socket, and the timer dies with
                // the socket, so both pointers are valid when it fires.
                const QHttpServerRequest *saved = &request;
                QTimer::singleShot(decision.delayMs, socket,
                                   [saved, socket, reply = std::move(decision.reply)] {
                                       if (socket->state() == QAbstractSocket::ConnectedState)
                                           write(*saved, socket, reply);
                                   });
            }
            break;
        }
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        write(request, socket, EmuReply::text(404, "no handler"));
    }

private:
    static void write(const QHttpServerRequest &request, QTcpSocket *socket, const EmuReply &reply)
    {
        int status = reply.status;
        const std::string *body = &reply.body;
        std::string unknown;
        if (!knownStatus(status)) {
            unknown = "emulator replied with unknown HTTP status " + std::to_string(status);
            body = &unknown;
            status = 500;
        }
        QHttpServerResponder responder = makeResponder(request, socket);
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
        if (body == &reply.body) {
            for (const auto &[name, value] : reply.headers) {
                const QByteArray key = QByteArray::fromStdString(name).toLower();
                if (key == "content-length" || key == "connection" || key == "transfer-encoding")
                    continue; // the server decides these
                responder.writeHeader(QByteArray::fromStdString(name),
                                      QByteArray::fromStdString(value));
            }
        } else {
            responder.writeHeader("Content-Type", "text/plain");
        }
        responder.writeHeader("Content-Length", QByteArray::number(qsizetype(body->size())));
        responder.writeBody(body->data(), static_cast<qint64>(body->size()));
    }

    DecideFn m_decide;
};

class ServerThread final : public QThread
{
public:
    ServerThread(std::function<Decision(const EmuRequest &)> decide,
                 std::function<void()> onConnection, ServerOptions options)
        : m_decide(std::move(decide)), m_onConnection(std::move(onConnection)),
          m_options(std::move(options))
    {
    }

    // The bound port, or the reason listening failed.
    std::future<std::variant<std::uint16_t, std::string>> started()
    {
        return m_started.get_future();
    }

protected:
    void run() override
    {
        HttpServer server(m_decide);
        std::string error;
        QTcpServer *tcp = m_options.tlsCertificatePem.empty() ? plainServer() : tlsServer(error);
        if (!tcp) {
            m_started.set_value(error);
            return;
        }
        if (!tcp->listen(QHostAddress::LocalHost, m_options.port)) {
            m_started.set_value(tcp->errorString().toStdString());
            delete tcp;
            return;
        }
        server.bind(tcp); // the HTTP server owns it (and its sockets) from here
        m_started.set_value(tcp->serverPort());
        exec();
    }

private:
    QTcpServer *plainServer()
    {
        auto *tcp = new Counting<QTcpServer>;
        tcp->onConnection = m_onConnection;
        return tcp;
    }

    QTcpServer *tlsServer(std::string &error)
    {
        const QSslCertificate certificate(QByteArray::fromStdString(m_options.tlsCertificatePem),
                                          QSsl::Pem);
        const QByteArray keyPem = QByteArray::fromStdString(m_options.tlsPrivateKeyPem);
        QSslKey key(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
        if (certificate.isNull() || key.isNull()) {
            error = "the TLS certificate or key is not valid PEM";
            return nullptr;
        }
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(certificate);
        config.setPrivateKey(key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        // QAbstractHttpServer 6.4 speaks HTTP/1.1 only.
        config.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
        auto *tcp = new Counting<QSslServer>;
        tcp->setSslConfiguration(config);
        tcp->onConnection = m_onConnection;
        return tcp;
    }

    std::function<Decision(const EmuRequest &)> m_decide;
    std::function<void()> m_onConnection;
    ServerOptions m_options;
    std::promise<std::variant<std::uint16_t, std::string>> m_started;
};

} // namespace

Decision EmulatorServer::Impl::decide(const EmuRequest &request)
{
    std::lock_guard lock(owner.m_mutex);
    ++stats.requests;
    std::optional<Fault> fault;
    if (!queued.empty()) {
        fault = queued.front();
        queued.pop_front();
    } else if (mix.share > 0 && !mix.kinds.empty()) {
        std::uniform_real_distribution<double> chance(0.0, 1.0);
        if (chance(random) < mix.share) {
            std::uniform_int_distribution<std::size_t> pick(0, mix.kinds.size() - 1);
            fault = mix.kinds[pick(random)];
        }
    }
    if (fault) {
        ++stats.faults;
        ++stats.faultsByKind[*fault];
    }

    Emulator &emulator = *owner.m_emulator;
    auto handle = [&]() -> EmuReply {
        try {
            return emulator.handle(request);
        } catch (const std::exception &e) {
            std::fprintf(stderr, "emulator: %s %s threw: %s\n", request.method.c_str(),
                         request.path.c_str(), e.what());
            return EmuReply::json(500, {{"error", "emulator_exception"}, {"message", e.what()}});
        }
    };

    Decision d;
    d.delayMs = latencyMs.load();
    if (!fault) {
        d.reply = handle();
        return d;
    }
    switch (*fault) {
    case Fault::RateLimit:
        d.reply = emulator.rateLimited(false);
        break;
    case Fault::RateLimitRetryAfter:
        d.reply = emulator.rateLimited(true);
        break;
    case Fault::ServerError:
        d.reply = emulator.serverError(500);
        break;
    case Fault::Unavailable:
        d.reply = emulator.serverError(503);
        break;
    case Fault::ResetBeforeHandling:
        d.action = Action::Reset;
        break;
    case Fault::ResetAfterHandling:
        handle(); // the change is made; only the answer is lost
        d.action = Action::Reset;
        break;
    case Fault::Hang:
        d.action = Action::Hang;
        d.delayMs = mix.hangMs;
        break;
    case Fault::Slow:
        d.reply = handle();
        d.delayMs += mix.slowMs;
        break;
    }
    return d;
}

EmulatorServer::EmulatorServer(std::unique_ptr<Emulator> emulator, ServerOptions options)
    : m_impl(std::make_unique<Impl>(*this)), m_emulator(std::move(emulator))
{
    if (!m_emulator)
        throw std::invalid_argument("EmulatorServer needs an emulator");
    Impl *impl = m_impl.get();
    impl->tls = !options.tlsCertificatePem.empty();
    const std::uint16_t port = options.port;
    auto thread = std::make_unique<ServerThread>(
        [impl](const EmuRequest &request) { return impl->decide(request); },
        [impl] { impl->countConnection(); }, std::move(options));
    auto started = thread->started();
    thread->start();
    auto outcome = started.get();
    if (auto *error = std::get_if<std::string>(&outcome)) {
        thread->wait();
        throw std::runtime_error(
            "The emulator could not listen on 127.0.0.1:" + std::to_string(port) + ": " + *error);
    }
    m_impl->port = std::get<std::uint16_t>(outcome);
    m_impl->thread = std::move(thread);
}

EmulatorServer::~EmulatorServer()
{
    if (m_impl->thread) {
        m_impl->thread->quit();
        m_impl->thread->wait();
    }
}

std::string EmulatorServer::baseUrl() const
{
    return (m_impl->tls ? "https://127.0.0.1:" : "http://127.0.0.1:") +
           std::to_string(m_impl->port);
}

std::uint16_t EmulatorServer::port() const
{
    return m_impl->port;
}

void EmulatorServer::setFaults(FaultMix mix)
{
    std::lock_guard lock(m_mutex);
    m_impl->random.seed(mix.seed);
    m_impl->mix = std::move(mix);
}

void EmulatorServer::queueFault(Fault fault, int count)
{
    std::lock_guard lock(m_mutex);
    for (int i = 0; i < count; ++i)
        m_impl->queued.push_back(fault);
}

void EmulatorServer::clearFaults()
{
    std::lock_guard lock(m_mutex);
    m_impl->queued.clear();
    m_impl->mix = FaultMix{};
}

void EmulatorServer::setLatency(int ms)
{
    m_impl->latencyMs.store(std::max(0, ms));
}

ServerStats EmulatorServer::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_impl->stats;
}

} // namespace sluice::emu
