// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_DETAIL_ASYNC_STRATEGY_HPP
#define ZEROBUFFER_ASIO_DETAIL_ASYNC_STRATEGY_HPP

#include <zerobuffer/wait_strategy.hpp>

namespace zerobuffer::asio::detail {

/// The strategy an asynchronous wait runs: blocking and spin-then-block as
/// given; busy-poll spins for its spin budget and then sleeps, as
/// spin-then-block does, because a wait that polled until its deadline would
/// hold the event loop's thread for all of it.
inline wait_strategy async_strategy(const wait_strategy& s) noexcept
{
    wait_strategy result = s;
    if (result.kind == wait_kind::busy_poll)
        result.kind = wait_kind::spin_then_block;
    return result;
}

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_DETAIL_ASYNC_STRATEGY_HPP
