// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "uring_sleeper.hpp"

#include "uring_sleeps.hpp"

#include <utility>

namespace zerobuffer::asio::detail {
namespace {

// The sleeper interface over the shared uring_sleeps: the handlers queued on
// the io_context hold only weak references, so the sleeps end with this.
class uring_sleeper final : public sleeper {
public:
    explicit uring_sleeper(std::shared_ptr<uring_sleeps> sleeps) noexcept
        : sleeps_(std::move(sleeps))
    {
    }
    uring_sleeper(const uring_sleeper&) = delete;
    uring_sleeper& operator=(const uring_sleeper&) = delete;
    ~uring_sleeper() override { sleeps_->close(); }

    wait_backend backend() const noexcept override { return wait_backend::io_uring; }
    std::uint64_t start(sleep_request request) override
    {
        return sleeps_->start(std::move(request));
    }
    void cancel(std::uint64_t id) noexcept override { sleeps_->cancel(id); }
    void shutdown() noexcept override { sleeps_->close(); }

private:
    std::shared_ptr<uring_sleeps> sleeps_;
};

} // namespace

std::unique_ptr<sleeper> make_uring_sleeper(boost::asio::io_context& ctx,
                                            boost::system::error_code& ec)
{
    ec.clear();
    auto sleeps = std::make_shared<uring_sleeps>(ctx);
    if (!sleeps->open(ec))
        return nullptr;
    return std::make_unique<uring_sleeper>(std::move(sleeps));
}

} // namespace zerobuffer::asio::detail
