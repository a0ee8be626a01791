// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The reader commands of zerobuffer_test_peer: read, hold-reader.

#include "peer.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <thread>

namespace zerobuffer::test_peer {

namespace {

using zerobuffer::testing::test_data_patterns;

/// A reader and the frames it holds, driven by the command line and stdin.
class reader_session {
public:
    reader_session(const options& opt, zerobuffer::reader& r) : opt_(opt), reader_(r) {}

    /// Reads `n` frames (`until_error`: until a read fails). Returns the exit code.
    int read_batch(std::uint64_t n, bool until_error = false)
    {
        try {
            for (std::uint64_t i = 0; until_error || i < n; ++i) {
                frame f = reader_.read_frame(opt_.read_timeout);
                if (!f) {
                    say("timeout frames=" + std::to_string(frames_));
                    return exit_timeout;
                }
                take(std::move(f));
            }
        } catch (...) {
            // After a disconnect or a death the next writer starts at 1 again.
            expected_sequence_ = 1;
            return report_exception("frames=" + std::to_string(frames_));
        }
        say("done frames=" + std::to_string(frames_) + " bad=" + std::to_string(bad_));
        return bad_ != 0 ? exit_bad_data : exit_ok;
    }

    /// Takes commands on stdin until "exit" or EOF. Returns the exit code.
    int command_loop(int rc)
    {
        say("holding frames=" + std::to_string(held_.size()));
        for (;;) {
            const std::string cmd = next_command();
            if (cmd.empty() || cmd == "exit") {
                return rc;
            }
            if (cmd == "release") {
                const std::size_t k = held_.size();
                held_.clear();
                say("released frames=" + std::to_string(k));
            } else if (cmd.starts_with("read ")) {
                rc = read_batch(std::stoull(cmd.substr(5)));
            } else if (cmd == "close") {
                held_.clear();
                reader_.close();
                say("closed");
            } else {
                say("error unknown-command " + cmd);
            }
        }
    }

private:
    void take(frame f)
    {
        if (opt_.expect_metadata && !metadata_checked_) {
            // The writer stores metadata before its first frame.
            metadata_checked_ = true;
            const auto m = reader_.metadata();
            const bool ok =
                m.size() == *opt_.expect_metadata && test_data_patterns::verify_metadata(m);
            bad_ += ok ? 0 : 1;
            say("metadata size=" + std::to_string(m.size()) + (ok ? " ok" : " bad"));
        }
        bool ok = true;
        if (opt_.verify) {
            ok = f.sequence() == expected_sequence_ &&
                 test_data_patterns::verify_frame(f.bytes(), f.sequence());
        }
        expected_sequence_ = f.sequence() + 1;
        ++frames_;
        bad_ += ok ? 0 : 1;
        if (opt_.print_frames || !ok) {
            say("frame seq=" + std::to_string(f.sequence()) + " size=" + std::to_string(f.size()) +
                (ok ? " ok" : " bad"));
        }
        if (opt_.no_release) {
            held_.push_back(std::move(f));
        } else {
            f.release();
        }
        if (opt_.delay_us != 0 && frames_ % opt_.delay_every == 0) {
            std::this_thread::sleep_for(std::chrono::microseconds(opt_.delay_us));
        }
    }

    const options& opt_;
    zerobuffer::reader& reader_;
    std::vector<frame> held_;
    std::uint64_t frames_ = 0;
    std::uint64_t bad_ = 0;
    std::uint64_t expected_sequence_ = 1;
    bool metadata_checked_ = false;
};

} // namespace

int run_reader(const options& opt)
{
    if (opt.umask) {
        ::umask(static_cast<mode_t>(*opt.umask));
    }
    if (opt.wait_go) {
        // Lets a test start several peers and release them at once (races).
        say("waiting");
        if (next_command() != "go") {
            return exit_usage;
        }
    }
    std::optional<zerobuffer::reader> r;
    try {
        r.emplace(opt.name, opt.config);
    } catch (...) {
        return report_exception({});
    }
    say("ready pid=" + std::to_string(::getpid()) + " payload=" +
        std::to_string(r->payload_size()) + " metadata=" + std::to_string(r->metadata_size()));

    reader_session session(opt, *r);
    int rc = exit_ok;
    if (opt.command == "read") {
        rc = session.read_batch(opt.count, opt.until_error);
    }
    if (opt.command == "hold-reader" || opt.no_release || opt.hold_before_exit) {
        rc = session.command_loop(rc);
    }
    return rc;
}

} // namespace zerobuffer::test_peer
