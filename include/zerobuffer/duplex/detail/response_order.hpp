// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_DETAIL_RESPONSE_ORDER_HPP
#define ZEROBUFFER_DUPLEX_DETAIL_RESPONSE_ORDER_HPP

/// @file
/// The bookkeeping that keeps a concurrent server's responses in request
/// order: no I/O, no lock (its driver holds one), tested on its own.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace zerobuffer::duplex::detail {

/// The requests of one client session between admission and the commit of
/// their response.
///
/// Requests are admitted in order and numbered 0, 1, 2, ...; at most
/// `max_in_flight` are between admission and commit. Responses are committed
/// in that order by one committer at a time: the holder of the turn. A
/// response whose turn has not come is parked and handed to whoever commits
/// when its turn comes (`take_parked`).
class response_order {
public:
    using bytes = std::vector<std::byte>;

    /// Precondition: `max_in_flight` > 0.
    explicit response_order(std::size_t max_in_flight) noexcept : max_in_flight_(max_in_flight) {}

    bool can_admit() const noexcept { return in_flight_ < max_in_flight_; }
    /// Admits the next request and returns its number. Precondition: `can_admit()`.
    std::uint64_t admit() noexcept
    {
        ++in_flight_;
        return admitted_++;
    }
    std::size_t in_flight() const noexcept { return in_flight_; }
    bool idle() const noexcept { return in_flight_ == 0; }

    /// Whether `index` may commit now: every response before it is
    /// committed and nobody holds the turn.
    bool is_turn(std::uint64_t index) const noexcept { return index == next_ && !committing_; }
    /// Takes the turn. Precondition: `is_turn(index)`.
    void begin_commit(std::uint64_t index) noexcept
    {
        (void)index;
        committing_ = true;
    }
    /// The response of the turn is committed (or given up): the next one's
    /// turn comes. Precondition: the turn is held.
    void end_commit() noexcept
    {
        committing_ = false;
        ++next_;
        --in_flight_;
    }

    /// Keeps the response of `index` until its turn.
    /// Precondition: `index` admitted, not committed, not parked.
    void park(std::uint64_t index, bytes response) { parked_.emplace(index, std::move(response)); }

    /// When the response whose turn it is was parked: takes the turn and
    /// returns it; otherwise nothing.
    std::optional<bytes> take_parked()
    {
        if (committing_ || parked_.empty() || parked_.begin()->first != next_) {
            return std::nullopt;
        }
        committing_ = true;
        auto node = parked_.extract(parked_.begin());
        return std::move(node.mapped());
    }

    std::size_t parked() const noexcept { return parked_.size(); }
    /// The number of the response whose turn comes next.
    std::uint64_t next() const noexcept { return next_; }

private:
    std::size_t max_in_flight_;
    std::size_t in_flight_ = 0;
    std::uint64_t admitted_ = 0;
    std::uint64_t next_ = 0;
    bool committing_ = false;
    std::map<std::uint64_t, bytes> parked_;
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_DETAIL_RESPONSE_ORDER_HPP
