// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The README's quick start: the two example programs run as two processes and
// talk, and the README shows exactly their code.

#define BOOST_TEST_MODULE quick_start
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"

#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>

#include <array>
#include <cstdint>
#include <thread>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using zerobuffer::test_support::child_process;

namespace {

const fs::path source_root = fs::path(__FILE__).parent_path().parent_path();

std::string read_file(const fs::path& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The example program `name`, searched from this test binary upwards
/// (CMake: build/example/NAME; b2 stages it in bin/).
std::string example_program(const std::string& name)
{
    if (const char* dir = std::getenv("ZEROBUFFER_EXAMPLE_DIR"); dir != nullptr && *dir != 0) {
        return (fs::path(dir) / name).string();
    }
    std::error_code ec;
    fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    for (int up = 0; up < 10 && !ec && !dir.empty(); ++up) {
        for (const char* sub : {"example", "bin"}) {
            const fs::path candidate = dir / sub / name;
            std::error_code probe;
            if (fs::is_regular_file(candidate, probe)) {
                return candidate.string();
            }
        }
        if (dir == dir.parent_path()) {
            break;
        }
        dir = dir.parent_path();
    }
    return {};
}

/// The example's code as the README shows it: without the leading comments.
std::string shown_code(const fs::path& p)
{
    std::istringstream in(read_file(p));
    std::string line;
    std::string out;
    bool started = false;
    while (std::getline(in, line)) {
        if (!started && (line.empty() || line.starts_with("//"))) {
            continue;
        }
        started = true;
        out += line + "\n";
    }
    return out;
}

/// What the example client `client_name` printed against the example
/// duplex_echo_server, and the server's summary line when it was stopped.
struct echo_session {
    std::string answers;
    std::string summary;
};

echo_session talk_to_echo_server(const std::string& client_name)
{
    const std::string server_path = example_program("duplex_echo_server");
    const std::string client_path = example_program(client_name);
    BOOST_REQUIRE_MESSAGE(!server_path.empty() && !client_path.empty(),
                          "duplex_echo_server / " << client_name << " not built");
    child_process server(server_path, {});
    const auto ready = server.read_line(30s);
    BOOST_REQUIRE(ready.has_value());
    BOOST_TEST(ready->find("serving quickstart_echo") != std::string::npos);
    child_process client(client_path, {});
    const auto client_status = client.wait(60s);
    BOOST_REQUIRE(client_status.has_value());
    BOOST_TEST(client_status->success(), client.describe());
    echo_session session;
    while (auto line = client.read_line(5s)) {
        session.answers += *line + "\n";
    }
    BOOST_TEST_MESSAGE(session.answers);
    server.send_signal(SIGTERM);
    const auto server_status = server.wait(60s);
    BOOST_REQUIRE(server_status.has_value());
    BOOST_TEST(server_status->success(), server.describe());
    const auto summary = server.read_line(5s);
    BOOST_REQUIRE(summary.has_value());
    session.summary = *summary;
    return session;
}

} // namespace

BOOST_AUTO_TEST_SUITE(quick_start)

BOOST_AUTO_TEST_CASE(reader_and_writer_examples_talk)
{
    const std::string reader_path = example_program("quick_reader");
    const std::string writer_path = example_program("quick_writer");
    BOOST_REQUIRE_MESSAGE(!reader_path.empty() && !writer_path.empty(),
                          "quick_reader / quick_writer not built");
    child_process reader(reader_path, {});
    child_process writer(writer_path, {});
    const auto writer_status = writer.wait(60s);
    BOOST_REQUIRE(writer_status.has_value());
    BOOST_TEST(writer_status->success());
    const auto reader_status = reader.wait(60s);
    BOOST_REQUIRE(reader_status.has_value());
    BOOST_TEST(reader_status->success());

    std::vector<std::string> lines;
    while (auto line = reader.read_line(5s)) {
        lines.push_back(*line);
    }
    std::string all;
    for (const auto& l : lines) {
        all += l + "\n";
    }
    BOOST_TEST_MESSAGE(all);
    BOOST_TEST(all.find("metadata: text frames, UTF-8") != std::string::npos);
    BOOST_TEST(all.find("frame 1: hello #1") != std::string::npos);
    BOOST_TEST(all.find("frame 5: hello #5") != std::string::npos);
    BOOST_TEST(all.find("frame 6: goodbye") != std::string::npos);
    BOOST_TEST(all.find("the writer is done") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplex_echo_server_and_client_examples_talk)
{
    // CONFORMANCE 9.1 as a user first meets it.
    const echo_session session = talk_to_echo_server("duplex_client");
    BOOST_TEST(session.answers ==
               "response 1: HELLO #1\nresponse 2: HELLO #2\nresponse 3: HELLO #3\n"
               "response 4: ZERO\nresponse 5: COPY\n");
    BOOST_TEST(session.summary == "served 5 requests to 1 client(s)");
}

BOOST_AUTO_TEST_CASE(asio_pipeline_example_reads_what_it_writes)
{
    // "Using zerobuffer with Asio": a coroutine reader and a callback writer
    // on one io_context thread (CONFORMANCE 10.1 as a user first meets it).
    const std::string path = example_program("asio_pipeline");
    BOOST_REQUIRE_MESSAGE(!path.empty(), "asio_pipeline not built");
    child_process program(path, {});
    const auto status = program.wait(60s);
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(status->success(), program.describe());
    std::string lines;
    while (auto line = program.read_line(5s)) {
        lines += *line + "\n";
    }
    BOOST_TEST(lines == "frame 1: hello #1\nframe 2: hello #2\nframe 3: hello #3\n");
}

BOOST_AUTO_TEST_CASE(asio_duplex_client_example_talks_to_the_echo_server)
{
    // A coroutine client (CONFORMANCE 10.1 for async_request as a user first
    // meets it): three requests outstanding at once, each with its response.
    const echo_session session = talk_to_echo_server("asio_duplex_client");
    BOOST_TEST(session.answers ==
               "response 1: HELLO #1\nresponse 2: HELLO #2\nresponse 3: HELLO #3\n"
               "response 4: ASYNC\n");
    BOOST_TEST(session.summary == "served 4 requests to 1 client(s)");
}

BOOST_AUTO_TEST_CASE(asio_tcp_forward_example_sends_every_frame_in_order)
{
    // Frames forwarded to a TCP client on the example's io_context: more of
    // them than its 1 MiB ring holds, written while this test reads the socket
    // slowly, so the writer waits for the forwarder (backpressure), and each
    // arrives whole and in order.
    const std::string path = example_program("asio_tcp_forward");
    BOOST_REQUIRE_MESSAGE(!path.empty(), "asio_tcp_forward not built");
    const std::string name = "qs_forward_" + std::to_string(::getpid());
    constexpr int count = 40;
    constexpr std::size_t size = 100 * 1024;
    child_process program(path, {name, std::to_string(count)});
    const auto ready = program.read_line(30s);
    BOOST_REQUIRE(ready.has_value());
    const auto at = ready->rfind(' ');
    BOOST_REQUIRE(at != std::string::npos);
    const auto port = static_cast<unsigned short>(std::stoul(ready->substr(at + 1)));

    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::address_v4::loopback(), port});
    zerobuffer::writer writer(name);
    std::thread producer([&] {
        for (int i = 1; i <= count; ++i) {
            writer.write_frame(zerobuffer::testing::test_data_patterns::frame_data(size, i));
        }
    });
    int good = 0;
    for (int i = 1; i <= count; ++i) {
        std::array<unsigned char, 4> length{};
        boost::asio::read(socket, boost::asio::buffer(length));
        const std::uint32_t n = length[0] | (length[1] << 8) | (length[2] << 16) |
                                (static_cast<std::uint32_t>(length[3]) << 24);
        std::vector<std::byte> bytes(n);
        boost::asio::read(socket, boost::asio::buffer(bytes));
        good += n == size && zerobuffer::testing::test_data_patterns::verify_frame(
                                 bytes, static_cast<std::uint64_t>(i));
        if (i < 8) {
            std::this_thread::sleep_for(20ms); // a slow client first
        }
    }
    producer.join();
    BOOST_TEST(good == count);
    const auto status = program.wait(60s);
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(status->success(), program.describe());
    const auto summary = program.read_line(5s);
    BOOST_REQUIRE(summary.has_value());
    BOOST_TEST(*summary == "forwarded " + std::to_string(count) + " frames");
}

BOOST_AUTO_TEST_CASE(readme_shows_the_examples_verbatim)
{
    const std::string readme = read_file(source_root / "README.md");
    for (const char* example :
         {"quick_reader.cpp", "quick_writer.cpp", "duplex_echo_server.cpp", "duplex_client.cpp",
          "asio_pipeline.cpp", "asio_duplex_client.cpp"}) {
        const std::string code = shown_code(source_root / "example" / example);
        BOOST_TEST_CONTEXT(example)
        {
            BOOST_TEST(!code.empty());
            BOOST_TEST(readme.find("```cpp\n" + code + "```") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
