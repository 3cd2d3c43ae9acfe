# Included by scripts/setup-local-model at the end of llama.cpp's own project() call, through
# CMAKE_PROJECT_llama.cpp_INCLUDE. llama-cpp-python forces LLAMA_BUILD_COMMON on for its
# multimodal library, which seednb's server never loads; the common library (and the HTTP
# client it vendors) is half of what it would otherwise compile. The Python package loads
# only libllama and libggml*.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama.cpp: build common utils library" FORCE)
set(LLAMA_BUILD_COMMON OFF)
