#!/usr/bin/env python3
"""The comparison client for perf/overhead.sh: chat completions through aiohttp
the way lm-evaluation-harness's API models send them (one ClientSession, a
TCPConnector limited to the concurrency, a semaphore, json in and out, the
answer's text pulled from each reply). Prints: requests seconds cpu_seconds.

usage: overhead_aiohttp.py URL REQUESTS CONCURRENCY
"""
import asyncio
import json
import sys
import time

import aiohttp


async def main(url, requests, concurrency):
    connector = aiohttp.TCPConnector(limit=concurrency)
    semaphore = asyncio.Semaphore(concurrency)
    answers = []

    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(i):
            payload = {
                "model": "canned",
                "messages": [{"role": "user", "content": f"What is {i} times 7?"}],
                "max_tokens": 256,
                "temperature": 0.7,
                "seed": i,
            }
            async with semaphore:
                async with session.post(url, json=payload) as response:
                    body = await response.json()
            answers.append(body["choices"][0]["message"]["content"])

        await asyncio.gather(*(one(i) for i in range(requests)))
    return len(answers)


if __name__ == "__main__":
    url, requests, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    wall, cpu = time.perf_counter(), time.process_time()
    done = asyncio.run(main(url, requests, concurrency))
    print(done, time.perf_counter() - wall, time.process_time() - cpu)
