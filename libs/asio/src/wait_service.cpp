// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/asio/wait_service.hpp>

#include "futex_sleeper.hpp"
#include "glibc_semaphore.hpp"
#include "sleeper.hpp"
#include "uring_sleeper.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/system_error.hpp>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

namespace zerobuffer::asio {
namespace {

/// What `ZEROBUFFER_ASIO_WAIT` asks for: nothing (the default), or one
/// backend by its name.
std::optional<wait_backend> forced_backend()
{
    const char* forced = std::getenv("ZEROBUFFER_ASIO_WAIT");
    const std::string choice = forced == nullptr ? "" : forced;
    if (choice.empty())
        return std::nullopt;
    for (const auto b : {wait_backend::futex_waitv, wait_backend::io_uring})
        if (choice == to_string(b))
            return b;
    throw std::invalid_argument("ZEROBUFFER_ASIO_WAIT must be futex_waitv or io_uring, not \"" +
                                choice + "\"");
}

/// Both backends sleep on the futex inside glibc's sem_t: checked once per
/// process, on the glibc it runs on. A mismatch is an error, not a fallback:
/// a sleep on the wrong word would never wake.
void check_semaphore_layout()
{
    const std::string_view mismatch = detail::semaphore_layout_mismatch_once();
    if (!mismatch.empty())
        throw boost::system::system_error(
            make_error_code(boost::system::errc::not_supported),
            "zerobuffer::asio: this glibc's sem_t is not the layout the asio layer sleeps on (" +
                std::string(mismatch) + ")");
}

std::unique_ptr<detail::sleeper> futex_waitv_sleeper()
{
    boost::system::error_code ec;
    if (!detail::futex_waitv_available(ec))
        throw boost::system::system_error(ec, "zerobuffer::asio: futex_waitv (Linux 5.16+)");
    return detail::make_futex_sleeper();
}

/// Any execution context: io_uring needs an io_context's reactor, so even a
/// forced io_uring is futex_waitv here (the name is still checked).
std::unique_ptr<detail::sleeper> make_sleeper()
{
    check_semaphore_layout();
    (void)forced_backend();
    return futex_waitv_sleeper();
}

/// An io_context: io_uring unless it cannot be used or futex_waitv is forced.
std::unique_ptr<detail::sleeper> make_sleeper(boost::asio::io_context& context)
{
    check_semaphore_layout();
    const auto forced = forced_backend();
    if (forced == wait_backend::futex_waitv)
        return futex_waitv_sleeper();
    boost::system::error_code ec;
    if (auto s = detail::make_uring_sleeper(context, ec))
        return s;
    if (forced == wait_backend::io_uring)
        throw boost::system::system_error(
            ec, "zerobuffer::asio: io_uring with IORING_OP_FUTEX_WAIT (Linux 6.7+)");
    return futex_waitv_sleeper();
}

} // namespace

std::string_view to_string(wait_backend backend) noexcept
{
    switch (backend) {
    case wait_backend::futex_waitv: return "futex_waitv";
    case wait_backend::io_uring: return "io_uring";
    }
    return "unknown";
}

wait_service::wait_service(boost::asio::execution_context& context)
    : boost::asio::execution_context::service(context), sleeper_(make_sleeper())
{
}

wait_service::wait_service(boost::asio::io_context& context)
    : boost::asio::execution_context::service(context), sleeper_(make_sleeper(context))
{
}

namespace detail {

boost::asio::io_context* find_io_context(const boost::asio::any_io_executor& ex) noexcept
{
    using io_executor = boost::asio::io_context::executor_type;
    if (const auto* e = ex.target<io_executor>())
        return &e->context();
    if (const auto* s = ex.target<boost::asio::strand<io_executor>>())
        return &s->get_inner_executor().context();
    if (const auto* s = ex.target<boost::asio::strand<boost::asio::any_io_executor>>())
        return find_io_context(s->get_inner_executor());
    return nullptr;
}

} // namespace detail

wait_service::~wait_service() = default;

wait_backend wait_service::backend() const noexcept
{
    return sleeper_->backend();
}

std::uint64_t wait_service::start_sleep(sem_t* sem, std::chrono::steady_clock::time_point deadline,
                                        std::function<void(bool taken)> done, peer_watch watch)
{
    return sleeper_->start({sem, deadline, std::move(done), watch});
}

void wait_service::cancel_sleep(std::uint64_t sleep_id) noexcept
{
    sleeper_->cancel(sleep_id);
}

void wait_service::shutdown()
{
    sleeper_->shutdown();
}

} // namespace zerobuffer::asio
