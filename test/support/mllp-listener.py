"""An HL7 v2 receiver for the suites: Debian's python3-hl7 (its hl7.mllp asyncio server), run
with /usr/bin/python3. A real peer written by someone else, so that the hub's ORU sender is
checked against another implementation's framing, parsing and unescaping rather than its own.

Each message received is recorded as one JSON line in --record (flushed before the answer
leaves, so a caller holding the ACK can read it), then answered according to the mode:

  --ae-first N          answer AE to the first N messages, AA afterwards
  --close-without-ack   close the connection instead of answering

The listener prints "LISTENING <port>" on stdout once it accepts connections (--port 0 picks one).
"""
import argparse
import asyncio
import json
import sys

import hl7
from hl7.mllp import start_hl7_server

CHARSETS = {"UNICODE UTF-8": "utf-8", "UTF-8": "utf-8", "8859/1": "latin-1", "": "utf-8"}


def charset_of(block):
    """MSH-18 read from the bytes (MSH is ASCII), as the hub's gateway does."""
    msh = block.split(b"\r", 1)[0].decode("latin-1")
    fields = msh.split(msh[3]) if len(msh) > 3 else []
    declared = fields[17].split("~")[0] if len(fields) > 17 else ""
    return CHARSETS.get(declared.strip().upper(), "utf-8")


def summary(message, text, answer):
    def field(seg, n):
        return str(seg(n)) if len(seg) > n else ""

    def first_component(seg, n):
        return field(seg, n).split("~")[0].split("^")[0]

    names = [str(s(0)) for s in message]
    obr = message.segment("OBR") if "OBR" in names else None
    return {
        "controlId": field(message.segment("MSH"), 10),
        "messageType": field(message.segment("MSH"), 9),
        "placerOrder": first_component(obr, 2) if obr else "",
        "fillerOrder": first_component(obr, 3) if obr else "",
        "obx": [
            {
                "setId": field(s, 1),
                "type": field(s, 2),
                "id": first_component(s, 3),
                "subId": field(s, 4),
                "value": message.unescape(field(s, 5)),
            }
            for s in (message.segments("OBX") if "OBX" in names else [])
        ],
        "answer": answer,
        "raw": text,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", required=True)
    parser.add_argument("--ae-first", type=int, default=0)
    parser.add_argument("--close-without-ack", action="store_true")
    args = parser.parse_args()
    received = 0

    async def serve(reader, writer):
        nonlocal received
        try:
            while not reader.at_eof():
                block = await reader.readblock()
                encoding = charset_of(block)
                text = block.decode(encoding)
                message = hl7.parse(text)
                received += 1
                if args.close_without_ack:
                    answer = "none"
                elif received <= args.ae_first:
                    answer = "AE"
                else:
                    answer = "AA"
                with open(args.record, "a", encoding="utf-8") as out:
                    out.write(json.dumps(summary(message, text, answer), ensure_ascii=False) + "\n")
                if answer == "none":
                    break
                ack = message.create_ack(answer, message_id=f"LSN-{received}")
                if answer == "AE":
                    ack.segment("MSA").assign_field(f"listener answers AE to message {received}", 3)
                writer.writeblock(str(ack).encode(encoding))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        except Exception as e:  # a listener that dies silently makes a test time out unexplained
            print(f"listener error: {e!r}", file=sys.stderr, flush=True)
        finally:
            writer.close()

    async def run():
        server = await start_hl7_server(serve, host="127.0.0.1", port=args.port)
        print(f"LISTENING {server.sockets[0].getsockname()[1]}", flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
