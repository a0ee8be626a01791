// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/asio/wait_service.hpp>

#include "futex_sleeper.hpp"
#include "sleeper.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/system_error.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace zerobuffer::asio {
namespace {

std::unique_ptr<detail::sleeper> make_sleeper()
{
    const char* forced = std::getenv("ZEROBUFFER_ASIO_WAIT");
    const std::string choice = forced == nullptr ? "" : forced;
    if (!choice.empty() && choice != "futex_waitv")
        throw std::invalid_argument("ZEROBUFFER_ASIO_WAIT must be futex_waitv (the one backend "
                                    "built), not \"" +
                                    choice + "\"");
    boost::system::error_code ec;
    if (!detail::futex_waitv_available(ec))
        throw boost::system::system_error(ec, "zerobuffer::asio: futex_waitv (Linux 5.16+)");
    return detail::make_futex_sleeper();
}

} // namespace

std::string_view to_string(wait_backend backend) noexcept
{
    switch (backend) {
    case wait_backend::futex_waitv: return "futex_waitv";
    }
    return "unknown";
}

wait_service::wait_service(boost::asio::execution_context& context)
    : boost::asio::execution_context::service(context), sleeper_(make_sleeper())
{
}

wait_service::wait_service(boost::asio::io_context& context)
    : boost::asio::execution_context::service(context), sleeper_(make_sleeper())
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
                                        std::function<void(bool taken)> done)
{
    return sleeper_->start({sem, deadline, std::move(done)});
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
