// What one system call costs on this machine, and what the same sends cost through io_uring: the measurement behind
// Turn:IoUring (docs/benchmarks.md, "io_uring"). Loopback only. Build and run: ./run.sh
#include <liburing.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { Sockets = 32, Rounds = 10000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void drain(int fd) {
    char buffer[256];
    while (recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0) {
    }
}

int main(void) {
    int calls = 1000000;
    double start = now();
    for (int i = 0; i < calls; i++) {
        syscall(SYS_getppid);
    }
    printf("null system call (getppid): %.3f us\n", (now() - start) / calls * 1e6);

    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(39999), .sin_addr.s_addr = htonl(0x7f000001)};
    int target = socket(AF_INET, SOCK_DGRAM, 0);
    if (bind(target, (struct sockaddr *)&to, sizeof to) != 0) {
        perror("bind 127.0.0.1:39999");
        return 1;
    }
    int senders[Sockets];
    for (int i = 0; i < Sockets; i++) {
        senders[i] = socket(AF_INET, SOCK_DGRAM, 0);
    }
    char payload[120] = {0};

    // A round: one 120-byte datagram from each of 32 sockets (relay sockets to their peers), then the receiver drained.
    start = now();
    for (int round = 0; round < Rounds; round++) {
        for (int i = 0; i < Sockets; i++) {
            sendto(senders[i], payload, sizeof payload, 0, (struct sockaddr *)&to, sizeof to);
        }
        drain(target);
    }
    printf("sendto per datagram (with its receive): %.3f us\n", (now() - start) / Rounds / Sockets * 1e6);

    struct io_uring ring;
    if (io_uring_queue_init(64, &ring, 0) != 0) {
        printf("io_uring refused here\n");
        return 0;
    }
    struct iovec vectors[Sockets];
    struct msghdr headers[Sockets];
    for (int i = 0; i < Sockets; i++) {
        vectors[i] = (struct iovec){.iov_base = payload, .iov_len = sizeof payload};
        headers[i] = (struct msghdr){.msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &vectors[i], .msg_iovlen = 1};
    }
    char buffers[Sockets][256];
    start = now();
    for (int round = 0; round < Rounds; round++) {
        for (int i = 0; i < Sockets; i++) {
            io_uring_prep_sendmsg(io_uring_get_sqe(&ring), senders[i], &headers[i], MSG_DONTWAIT);
        }
        io_uring_submit_and_wait(&ring, Sockets);
        io_uring_cq_advance(&ring, Sockets);
        for (int i = 0; i < Sockets; i++) {
            io_uring_prep_recv(io_uring_get_sqe(&ring), target, buffers[i], sizeof buffers[i], MSG_DONTWAIT);
        }
        io_uring_submit_and_wait(&ring, Sockets);
        io_uring_cq_advance(&ring, Sockets);
    }
    printf("io_uring per datagram (its send and its receive, 32 of each per io_uring_enter): %.3f us\n",
           (now() - start) / Rounds / Sockets * 1e6);
    io_uring_queue_exit(&ring);
    return 0;
}
