"""A gunicorn worker that stops listening as soon as it stops accepting.

gunicorn's threaded worker, told to stop (SIGTERM), finishes the requests it accepted but keeps its
listening socket open until they are done: a connection that arrives meanwhile waits in the socket's
queue and is reset at the end, after the client has sent its request, so a load balancer cannot tell
whether it was applied. This worker takes what is already queued, then closes the socket, so later
connections are refused and a balancer sends them to another server. Only the few microseconds between
the last accept and the close remain. Use it with
`gunicorn --worker-class workbench.gunicorn_worker.PromptStopWorker`.
"""

from gunicorn.workers.gthread import ThreadWorker


class PromptStopWorker(ThreadWorker):
    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if enabled or self.alive:  # at its connection limit, not stopping
            return
        for listener in self.sockets:
            while True:  # the listener is non-blocking: accept() ends when the queue is empty
                queued = self.nr_conns
                self.accept(listener)
                if self.nr_conns == queued:
                    break
            listener.close()
