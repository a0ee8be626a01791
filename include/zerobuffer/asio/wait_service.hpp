// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_WAIT_SERVICE_HPP
#define ZEROBUFFER_ASIO_WAIT_SERVICE_HPP

/// @file
/// How the asynchronous operations sleep on the buffer's semaphores: one
/// service per execution context (doc/asio.md, "The layer as built").

#include <zerobuffer/wait_step.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/query.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <type_traits>

#include <semaphore.h>

namespace zerobuffer::asio {

/// Where the sleeps of an execution context's operations happen.
enum class wait_backend {
    /// Helper threads of the service, each sleeping in futex_waitv on up to
    /// 127 semaphores at once (Linux 5.16+), posting the wake-ups to the
    /// operations' executors. One thread for up to 127 sleeping operations.
    /// The backend of every execution context other than an io_context, and
    /// of an io_context where io_uring cannot be used.
    futex_waitv,
    /// An io_uring of the io_context's own (Linux 6.7+): each sleep is an
    /// IORING_OP_FUTEX_WAIT on the semaphore, with a linked timeout at its
    /// deadline; the ring's fd is watched by the context's reactor while
    /// sleeps are pending, so a wake-up completes on one of the context's
    /// own threads, with no helper thread in between. The default on an
    /// io_context where the kernel has it (containers' seccomp profiles
    /// often forbid io_uring: EPERM).
    io_uring,
};

/// The name of a backend ("futex_waitv", "io_uring"): the values of
/// `ZEROBUFFER_ASIO_WAIT`.
std::string_view to_string(wait_backend backend) noexcept;

namespace detail {
class sleeper;
} // namespace detail

/// The service of an execution context that runs the sleeps of its
/// operations (`boost::asio::use_service<wait_service>(context)`).
///
/// The backend is chosen once, when the service is created:
/// - on an io_context, io_uring when the kernel lets this process use it
///   (Linux 6.7+ with IORING_OP_FUTEX_WAIT, io_uring not forbidden), else
///   futex_waitv;
/// - on any other execution context, futex_waitv (io_uring needs the
///   io_context's reactor).
///
/// The environment variable `ZEROBUFFER_ASIO_WAIT` forces one: `io_uring`
/// on an io_context fails the creation with the system error when io_uring
/// cannot be used (other contexts keep futex_waitv), `futex_waitv` never
/// tries io_uring; any other non-empty value fails the creation with
/// `std::invalid_argument`. A kernel without futex_waitv fails the creation
/// of a futex_waitv service with the system error (ENOSYS).
///
/// Thread safety: all members may be called from any thread.
class wait_service : public boost::asio::execution_context::service {
public:
    using key_type = wait_service;
    static inline boost::asio::execution_context::id id;

    /// For any execution context: futex_waitv.
    explicit wait_service(boost::asio::execution_context& context);
    /// For an io_context (chosen by `use_service` for one): io_uring where
    /// it can be used, else futex_waitv.
    explicit wait_service(boost::asio::io_context& context);
    ~wait_service() override;

    /// The backend chosen for this context.
    wait_backend backend() const noexcept;

    /// Starts a sleep on `sem` until a token is there (then takes it) or
    /// `deadline` passes; `done(taken)` is called once, never inside this
    /// call, from a helper thread (futex_waitv) or the context's (io_uring). Returns an id for
    /// `cancel_sleep`. After the context's shutdown `done` is never called.
    ///
    /// With `watch.fd` valid (`frame_wait::watch_peer`), the io_uring backend
    /// polls that descriptor beside the semaphore and sleeps until
    /// `watch.until`, or until the descriptor is readable (then `done(false)`,
    /// or true when a token came too); futex_waitv cannot poll a descriptor
    /// and sleeps until `deadline` (`watches_peers()` says which).
    std::uint64_t start_sleep(sem_t* sem, std::chrono::steady_clock::time_point deadline,
                              std::function<void(bool taken)> done, peer_watch watch = {});

    /// Whether `start_sleep` polls a `watch` descriptor (io_uring).
    bool watches_peers() const noexcept { return backend() == wait_backend::io_uring; }

    /// Ends the sleep `id` soon (its `done` still comes, usually with false).
    void cancel_sleep(std::uint64_t sleep_id) noexcept;

private:
    void shutdown() override;

    std::unique_ptr<detail::sleeper> sleeper_;
};

namespace detail {

/// The io_context behind `ex` (an io_context's executor or a strand of one,
/// possibly inside an any_io_executor), else null.
boost::asio::io_context* find_io_context(const boost::asio::any_io_executor& ex) noexcept;

/// The wait_service of `ex`'s execution context; the io_context's own when
/// `ex` runs on one (where the io_uring backend uses its reactor).
template <class Executor>
wait_service& service_of(const Executor& ex)
{
    auto& context = boost::asio::query(ex, boost::asio::execution::context);
    using context_type = std::remove_cvref_t<decltype(context)>;
    if constexpr (std::is_same_v<context_type, boost::asio::io_context>) {
        return boost::asio::use_service<wait_service>(context);
    } else {
        if (auto* io = find_io_context(boost::asio::any_io_executor(ex)))
            return boost::asio::use_service<wait_service>(*io);
        return boost::asio::use_service<wait_service>(context);
    }
}

} // namespace detail

} // namespace zerobuffer::asio

#endif // ZEROBUFFER_ASIO_WAIT_SERVICE_HPP
