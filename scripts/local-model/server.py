"""seednb's local model server: llama-cpp-python's OpenAI-compatible app serving Gemma 3 270M.

Run by seednb from the cache folder that scripts/setup-local-model fills. Differences from
`python -m llama_cpp.server`, and why:
- Chat and embeddings are served by two instances of the model kept loaded side by side;
  the stock multi-model proxy holds one at a time and would reload on every switch.
- The embedding instance pools with the mean of the token vectors: the server's settings
  cannot choose a pooling type, and for this GGUF it would return one vector per token.
- Chats use the "seednb-plain" format below: the model is the *base* Gemma 3 270M, and with
  its Gemma chat template it repeats the prompt instead of answering.
- Answers carry a system_fingerprint derived from the model file's SHA-256, the
  llama-cpp-python version and the settings that shape outputs, which llama-cpp-python
  does not send; any change of those shows up as a new fingerprint.
- Every chat evaluates its whole prompt. llama-cpp-python keeps the last prompt's tokens and
  evaluates only what follows the prefix a new prompt shares with it; evaluated in other
  batches, the same prompt gives other floating-point sums, and a seeded request's answer
  then depends on what was asked before it (the first send after a start differed from the
  next ones).
- It exits when its standard input closes, so it never outlives the seednb that started it.
"""
import argparse
import hashlib
import json
import os
import sys
import threading

# ggml's CPU backend is built with OpenMP, whose threads spin at every barrier while they wait
# for each other. On a machine where other work holds the cores, a spinning thread keeps the
# core its partner needs: the cookbook notebook's six live chats took 348 s (179 s of CPU) at
# a load of 5 to 8 on 2 cores, and 21 s (18 s of CPU) with the threads sleeping instead. It
# must be set before libgomp starts, that is before llama_cpp is imported; the answers are
# the same (the work is split the same way), so it is not part of the fingerprint.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import llama_cpp
import uvicorn
from llama_cpp.llama_chat_format import ChatFormatterResponse, register_chat_format
from llama_cpp.server import app as server_app
from llama_cpp.server.model import LlamaProxy
from llama_cpp.server.settings import ModelSettings, ServerSettings

CHAT_MODEL = "gemma-3-270m-q4_k_m"
EMBEDDING_MODEL = "gemma-3-270m-q4_k_m-embedding"


@register_chat_format("seednb-plain")
def plain_format(messages, **kwargs):
    """User turns as plain text, answers after "Response:". System messages are left out:
    a base model treats them as text to continue, and repeats them."""
    parts = []
    for message in messages:
        content = message.get("content") or ""
        if message["role"] == "user":
            parts.append(content)
        elif message["role"] == "assistant":
            parts.append("Response:\n" + content)
    prompt = "\n\n".join(parts) + "\n\nResponse:\n"
    return ChatFormatterResponse(prompt=prompt, stop=["\nResponse:", "\n\n\n"])


class OneAtATimeEmbedding:
    """Embeds each input in a batch of its own. Where a text stands in a batch changes the
    floating-point sums, and the same text must give the same vector wherever it stands."""

    def __init__(self, llama):
        self.llama = llama

    def create_embedding(self, input, model=None, **kwargs):
        texts = [input] if isinstance(input, str) else list(input)
        data, tokens = [], 0
        for index, text in enumerate(texts):
            answer = self.llama.create_embedding(text)
            data.append({"object": "embedding", "index": index, "embedding": answer["data"][0]["embedding"]})
            tokens += answer["usage"]["prompt_tokens"]
        return {"object": "list", "data": data, "model": EMBEDDING_MODEL,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}

    def close(self):
        self.llama.close()


class LocalProxy(LlamaProxy):
    """Both instances loaded at once; any chat model name is served by the chat instance,
    and names that mention embedding by the embedding instance."""

    def __init__(self, chat_settings: ModelSettings, model_path: str, n_ctx: int, n_threads: int):
        self._model_settings_dict = {CHAT_MODEL: chat_settings}
        self._default_model_settings = chat_settings
        self._default_model_alias = CHAT_MODEL
        self._chat = LlamaProxy.load_llama_from_model_settings(chat_settings)
        self._embedding = OneAtATimeEmbedding(llama_cpp.Llama(
            model_path=model_path, embedding=True, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
            n_ctx=n_ctx, n_threads=n_threads, verbose=False))
        self._current_model = self._chat
        self._current_model_alias = CHAT_MODEL

    def __call__(self, model=None):
        if model == EMBEDDING_MODEL or (model and "embed" in model):
            return self._embedding
        # Forget the previous prompt, so that nothing of it is reused (see the top). The
        # server calls this with its lock held, once per request.
        self._chat.reset()
        return self._chat

    def __iter__(self):
        yield CHAT_MODEL
        yield EMBEDDING_MODEL

    def free(self):
        self._chat.close()
        self._embedding.close()


def fingerprint(model_sha256: str, settings: dict) -> str:
    identity = json.dumps(
        {"model_sha256": model_sha256, "llama_cpp_python": llama_cpp.__version__, "settings": settings},
        sort_keys=True)
    return "fp_" + hashlib.sha256(identity.encode()).hexdigest()[:12]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the GGUF file")
    parser.add_argument("--model-sha256", required=True, help="its SHA-256, checked at set-up")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--n-threads", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--fingerprint-only", action="store_true",
                        help="write the fingerprint beside this script and exit, without loading the model")
    args = parser.parse_args()

    # Whatever shapes the text a seed produces belongs in the fingerprint.
    settings = {"chat_format": "seednb-plain", "n_ctx": args.n_ctx, "n_threads": args.n_threads,
                "embedding_pooling": "mean", "embedding_batch": "one input at a time",
                "prompt_reuse": "none"}
    system_fingerprint = fingerprint(args.model_sha256, settings)
    # seednb reads this file to tell, without starting the server, whether cached answers
    # still match the backend.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fingerprint"), "w") as file:
        file.write(system_fingerprint + "\n")
    if args.fingerprint_only:
        return
    chat_settings = ModelSettings(
        model=args.model, model_alias=CHAT_MODEL, chat_format="seednb-plain", n_ctx=args.n_ctx,
        n_threads=args.n_threads, verbose=False)
    app = server_app.create_app(
        server_settings=ServerSettings(host="127.0.0.1", port=args.port), model_settings=[chat_settings])
    # create_app loaded the stock proxy's model; this one replaces it, with both instances.
    server_app._llama_proxy.free()
    server_app._llama_proxy = LocalProxy(chat_settings, args.model, args.n_ctx, args.n_threads)

    @app.middleware("http")
    async def identify(request, call_next):
        """Names the model that answered and adds the fingerprint to JSON answers."""
        response = await call_next(request)
        if request.url.path not in ("/v1/chat/completions", "/v1/embeddings"):
            return response
        if not response.headers.get("content-type", "").startswith("application/json"):
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and "error" not in answer:
            if request.url.path == "/v1/chat/completions":
                answer["model"] = CHAT_MODEL
                answer["system_fingerprint"] = system_fingerprint
            else:
                answer["model"] = EMBEDDING_MODEL
            body = json.dumps(answer).encode()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        from starlette.responses import Response
        return Response(content=body, status_code=response.status_code, headers=headers,
                        media_type="application/json")

    # The parent holds our standard input; when it goes, so do we.
    def watch_parent():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"seednb local model: {CHAT_MODEL} on 127.0.0.1:{args.port}, fingerprint {system_fingerprint}", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
