#!/usr/bin/env python3
"""Generates Swift message types for the KafkaProtocol module from Apache Kafka's JSON
message definitions (clients/src/main/resources/common/message/*.json).

Usage (from the repository root or anywhere):

    python3 scripts/generate-messages.py DEFINITIONS_DIR

DEFINITIONS_DIR is Apache Kafka's clients/src/main/resources/common/message folder. The
committed code was generated from apache/kafka at commit KAFKA_COMMIT below (the 4.0.0
development line, October 2024); to get it:

    git clone https://github.com/apache/kafka && git -C kafka checkout <KAFKA_COMMIT>
    python3 scripts/generate-messages.py kafka/clients/src/main/resources/common/message

Error codes are read from scripts/kafka-error-codes.tsv (code, name, whether the Java client
treats it as retriable, message; made from Kafka's Errors.java), or from error-codes.tsv beside
DEFINITIONS_DIR when there is one. Output goes to
Shared/KafkaWire/Sources/KafkaProtocol/Generated/. Python 3 standard library only.

What is generated:
  * one file per message in MESSAGES below (request and response of each API, plus data
    messages): a `public struct <Name>` with nested structs (flat) for every struct type;
  * APIKey.swift: every request API found in the definitions directory;
  * KafkaErrorCode.swift: every error code in error-codes.tsv.

Semantics, in brief: a field is read and written only in the versions it exists in (absent
fields are silently skipped when encoding and left at their default when decoding); compact
encodings in flexible versions; tagged fields written only when different from their
default; unknown tags kept and written back; encoding null into a field that is not
nullable at that version throws ProtocolError(.invalidValue).
"""

import json
import os
import sys

# ---------------------------------------------------------------------------------------
# What to generate. Add an API name here (without Request/Response) to generate both of its
# messages; add a data message name to DATA_MESSAGES.
# ---------------------------------------------------------------------------------------
APIS = [
    "ApiVersions", "Metadata", "Produce", "Fetch", "ListOffsets", "CreateTopics",
    "DeleteTopics", "FindCoordinator", "JoinGroup", "SyncGroup", "Heartbeat", "LeaveGroup",
    "OffsetCommit", "OffsetFetch", "DescribeGroups", "ListGroups", "InitProducerId",
    "DescribeConfigs", "SaslHandshake", "SaslAuthenticate",
]
DATA_MESSAGES = ["ConsumerProtocolSubscription", "ConsumerProtocolAssignment"]

MESSAGES = [api + suffix for api in APIS for suffix in ("Request", "Response")] + DATA_MESSAGES

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT_DIR = os.path.join(REPO_ROOT, "Shared", "KafkaWire", "Sources", "KafkaProtocol", "Generated")
KAFKA_COMMIT = "1eb7644349cb07139d6a3c1ad1986979647cac99"
ERROR_CODES = os.path.join(REPO_ROOT, "scripts", "kafka-error-codes.tsv")
COMMAND = "python3 scripts/generate-messages.py"

MAX_VERSION = 0x7FFF

PRIMITIVES = {
    "bool": "Bool", "int8": "Int8", "int16": "Int16", "uint16": "UInt16", "int32": "Int32",
    "uint32": "UInt32", "int64": "Int64", "float64": "Double", "string": "String",
    "bytes": "ByteBuffer", "records": "ByteBuffer", "uuid": "KafkaUUID",
}
INTEGERS = {"int8", "int16", "uint16", "int32", "uint32", "int64"}

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
    "init", "inout", "internal", "let", "open", "operator", "private", "precedencegroup",
    "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
    "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough",
    "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "as",
    "false", "is", "nil", "self", "super", "throws", "true", "try", "Any", "Self", "Type",
    "await", "some", "any",
}
RESERVED_TYPE_NAMES = {
    "String", "Bool", "Int8", "Int16", "UInt16", "Int32", "UInt32", "Int64", "Double",
    "ByteBuffer", "KafkaUUID", "UnknownTaggedField", "ProtocolError", "APIKey", "Response",
    "Array", "Optional", "Self",
}


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------
def strip_comments(text):
    """Removes // comments outside of JSON strings."""
    out = []
    i, n, in_string = 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
        elif c == '"':
            in_string = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(strip_comments(f.read()))


def parse_versions(spec):
    """'0+', '3-5', '7', 'none' -> (lo, hi) or None for no versions."""
    if spec is None:
        return None
    spec = spec.strip()
    if spec == "none" or spec == "":
        return None
    if spec.endswith("+"):
        return (int(spec[:-1]), MAX_VERSION)
    if "-" in spec:
        lo, hi = spec.split("-")
        return (int(lo), int(hi))
    return (int(spec), int(spec))


def intersect(a, b):
    if a is None or b is None:
        return None
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def hull(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), max(a[1], b[1]))


class Field:
    def __init__(self, raw, struct_fields_by_name):
        self.raw = raw
        self.name = raw["name"]
        self.type = raw["type"]
        self.versions = parse_versions(raw.get("versions"))
        self.nullable = parse_versions(raw.get("nullableVersions"))
        self.tagged = parse_versions(raw.get("taggedVersions"))
        self.tag = raw.get("tag")
        self.default = raw.get("default")
        self.about = raw.get("about", "")
        self.is_array = self.type.startswith("[]")
        self.elem = self.type[2:] if self.is_array else self.type
        self.elem_is_struct = self.elem not in PRIMITIVES
        if self.tag is not None and self.tagged is None:
            raise SystemExit(f"field {self.name}: tag without taggedVersions")
        if self.tagged is not None and self.tagged[1] != MAX_VERSION:
            raise SystemExit(f"field {self.name}: taggedVersions must be open-ended")

    @property
    def prop(self):
        return swift_ident(lower_first(self.name))

    @property
    def plain_prop(self):
        return lower_first(self.name)

    @property
    def optional(self):
        return self.nullable is not None

    def mandatory_versions(self):
        if self.tagged is None:
            return self.versions
        if self.tagged[0] == 0:
            return None
        return intersect(self.versions, (0, self.tagged[0] - 1))

    def tagged_versions(self):
        if self.tagged is None:
            return None
        return intersect(self.versions, self.tagged)


class Struct:
    def __init__(self, name, fields, about=""):
        self.name = name
        self.fields = fields
        self.about = about
        self.ctx = None  # hull of the versions in which this struct is used


def lower_first(name):
    return name[:1].lower() + name[1:]


def swift_ident(name):
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


class Message:
    def __init__(self, raw, filename):
        self.raw = raw
        self.filename = filename
        self.name = raw["name"]
        self.kind = raw["type"]
        self.api_key = raw.get("apiKey")
        self.valid = parse_versions(raw["validVersions"])
        fv = raw.get("flexibleVersions", "none")
        flex = parse_versions(fv)
        if flex is not None and flex[1] != MAX_VERSION:
            raise SystemExit(f"{self.name}: flexibleVersions must be open-ended")
        self.flexible_from = flex[0] if flex else None
        self.structs = {}  # name -> Struct, in definition order
        self.common = {c["name"]: c for c in raw.get("commonStructs", [])}
        self.fields = self._fields(raw.get("fields", []))
        for name in list(self.common):
            if name not in self.structs:
                self._define(name, self.common[name].get("fields", []), "")
        self._compute_contexts(self.fields, self.valid)
        for s in self.structs.values():
            if s.ctx is None:
                s.ctx = (0, MAX_VERSION)

    def _define(self, name, raw_fields, about):
        if name in RESERVED_TYPE_NAMES or name == self.name:
            raise SystemExit(f"{self.name}: struct name {name} collides with a Swift type")
        if name in self.structs:
            return
        s = Struct(name, None, about)
        self.structs[name] = s
        s.fields = self._fields(raw_fields)

    def _fields(self, raw_fields):
        fields = []
        for rf in raw_fields:
            f = Field(rf, None)
            if f.elem_is_struct:
                if "fields" in rf:
                    if f.elem in self.structs and f.elem not in self.common:
                        raise SystemExit(f"{self.name}: struct {f.elem} defined twice")
                    self._define(f.elem, rf["fields"], f.about)
                elif f.elem in self.common:
                    self._define(f.elem, self.common[f.elem].get("fields", []), "")
                else:
                    raise SystemExit(f"{self.name}: unknown type {f.type} for {f.name}")
            fields.append(f)
        return fields

    def _compute_contexts(self, fields, ctx):
        for f in fields:
            if not f.elem_is_struct:
                continue
            fctx = intersect(ctx, f.versions)
            if fctx is None:
                continue
            s = self.structs[f.elem]
            s.ctx = hull(s.ctx, fctx)
            self._compute_contexts(s.fields, fctx)


# ---------------------------------------------------------------------------------------
# Swift code generation
# ---------------------------------------------------------------------------------------
def cond(rng, ctx):
    """Swift condition for `version` in rng, knowing version is in ctx.
    Returns True (always), False (never) or a Swift expression string."""
    r = intersect(rng, ctx)
    if r is None:
        return False
    parts = []
    if r[0] > ctx[0]:
        parts.append(f"version >= {r[0]}")
    if r[1] < ctx[1]:
        parts.append(f"version <= {r[1]}")
    if not parts:
        return True
    return " && ".join(parts)


def swift_string_literal(s):
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


def elem_swift_type(f):
    return f.elem if f.elem_is_struct else PRIMITIVES[f.elem]


def swift_type(f):
    t = elem_swift_type(f)
    if f.is_array:
        t = f"[{t}]"
    if f.optional:
        t += "?"
    return t


def default_expr(f):
    d = f.default
    if isinstance(d, bool):
        d = "true" if d else "false"
    elif d is not None and not isinstance(d, str):
        d = str(d)
    if d == "null":
        if not f.optional:
            raise SystemExit(f"field {f.name}: null default on a non-nullable field")
        return "nil"
    if f.is_array:
        if d not in (None, ""):
            raise SystemExit(f"field {f.name}: default on an array")
        return "[]"
    t = f.elem
    if f.elem_is_struct:
        return f"{f.elem}()"
    if t in INTEGERS:
        return str(int(d, 0)) if d not in (None, "") else "0"
    if t == "float64":
        return repr(float(d)) if d not in (None, "") else "0"
    if t == "bool":
        if d in (None, ""):
            return "false"
        if d not in ("true", "false"):
            raise SystemExit(f"field {f.name}: bad bool default {d}")
        return d
    if t == "string":
        return swift_string_literal(d) if d is not None else '""'
    if t in ("bytes", "records"):
        return "ByteBuffer()"
    if t == "uuid":
        return "KafkaUUID.zero"
    raise SystemExit(f"field {f.name}: no default for {t}")


def differs_from_default(f, expr):
    """Swift condition: expr differs from the field's default (for tagged fields)."""
    d = default_expr(f)
    if d == "nil":
        return f"{expr} != nil"
    if f.is_array:
        if f.optional:
            return f"{expr} != []"
        return f"!{expr}.isEmpty"
    if f.elem in ("bytes", "records"):
        if f.optional:
            return f"{expr}?.readableBytes != 0"
        return f"{expr}.readableBytes != 0"
    if f.elem == "string" and d == '""' and not f.optional:
        return f"!{expr}.isEmpty"
    return f"{expr} != {d}"


class Emitter:
    def __init__(self):
        self.lines = []
        self.level = 0
        self.counter = 0

    def line(self, s=""):
        self.lines.append(("    " * self.level + s) if s else "")

    def open(self, s):
        self.line(s + " {")
        self.level += 1

    def close(self, s="}"):
        self.level -= 1
        self.line(s)

    def fresh(self, base):
        self.counter += 1
        return f"{base}{self.counter}"


def read_scalar(elem, buf, compact, nullable):
    """Expression reading one non-array value. nullable: read the nullable form."""
    if elem in INTEGERS:
        return f"try {buf}.readKafkaInteger(as: {PRIMITIVES[elem]}.self)"
    if elem == "bool":
        return f"try {buf}.readKafkaBool()"
    if elem == "float64":
        return f"try {buf}.readKafkaFloat64()"
    if elem == "string":
        fn = "readKafkaNullableString" if nullable else "readKafkaString"
        return f"try {buf}.{fn}(compact: {compact})"
    if elem in ("bytes", "records"):
        fn = "readKafkaNullableBytes" if nullable else "readKafkaBytes"
        return f"try {buf}.{fn}(compact: {compact})"
    if elem == "uuid":
        return f"try {buf}.readKafkaUUID()"
    # struct
    if nullable:
        return (f"try {buf}.readKafkaInteger(as: Int8.self) < 0 ? nil : "
                f"try {elem}(from: &{buf}, version: version)")
    return f"try {elem}(from: &{buf}, version: version)"


def emit_read(e, f, target, buf, compact, nullable, owner):
    """Statements assigning the field's value read from buf to target.
    nullable: True / False / Swift condition for 'null allowed at this version'."""
    if nullable not in (True, False):
        e.open(f"if {nullable}")
        emit_read(e, f, target, buf, compact, True, owner)
        e.close("} else {")
        e.level += 1
        emit_read(e, f, target, buf, compact, False, owner)
        e.close()
        return
    if not f.is_array:
        e.line(f"{target} = {read_scalar(f.elem, buf, compact, nullable)}")
        return
    count = e.fresh("count")
    array = e.fresh("array")
    elem_type = elem_swift_type(f)
    elem_read = read_scalar(f.elem, buf, compact, False)
    if nullable:
        e.open(f"if let {count} = try {buf}.readKafkaArrayCount(compact: {compact})")
    else:
        e.open("do")
        e.open(f"guard let {count} = try {buf}.readKafkaArrayCount(compact: {compact}) else")
        e.line(f'throw ProtocolError(.invalidLength, "null array in non-nullable {owner}.{f.plain_prop}")')
        e.close()
    e.line(f"var {array}: [{elem_type}] = []")
    e.line(f"{array}.reserveCapacity({count})")
    e.open(f"for _ in 0..<{count}")
    e.line(f"{array}.append({elem_read})")
    e.close()
    e.line(f"{target} = {array}")
    if nullable:
        e.close("} else {")
        e.level += 1
        e.line(f"{target} = nil")
    e.close()


def write_scalar(e, elem, value, buf, compact):
    """Statements writing one non-null, non-array value."""
    if elem in INTEGERS:
        e.line(f"{buf}.writeKafkaInteger({value})")
    elif elem == "bool":
        e.line(f"{buf}.writeKafkaBool({value})")
    elif elem == "float64":
        e.line(f"{buf}.writeKafkaFloat64({value})")
    elif elem == "string":
        e.line(f"{buf}.writeKafkaString({value}, compact: {compact})")
    elif elem in ("bytes", "records"):
        e.line(f"{buf}.writeKafkaBytes({value}, compact: {compact})")
    elif elem == "uuid":
        e.line(f"{buf}.writeKafkaUUID({value})")
    else:
        e.line(f"try {value}.encode(to: &{buf}, version: version)")


def emit_write_nonnull(e, f, value, buf, compact):
    if f.is_array:
        item = e.fresh("item")
        e.line(f"{buf}.writeKafkaArrayCount({value}.count, compact: {compact})")
        e.open(f"for {item} in {value}")
        write_scalar(e, f.elem, item, buf, compact)
        e.close()
    else:
        write_scalar(e, f.elem, value, buf, compact)


def emit_write(e, f, value, buf, compact, nullable, owner):
    """Statements writing the field. nullable: True / False / condition (null allowed)."""
    if not f.optional:
        emit_write_nonnull(e, f, value, buf, compact)
        return
    null_msg = f'"{owner}.{f.plain_prop} is null but not nullable in version \\(version)"'
    if nullable is False:
        v = e.fresh("value")
        e.open(f"guard let {v} = {value} else")
        e.line(f"throw ProtocolError(.invalidValue, {null_msg})")
        e.close()
        emit_write_nonnull(e, f, v, buf, compact)
        return
    if nullable is not True:
        e.open(f"if {value} == nil && !({nullable})")
        e.line(f"throw ProtocolError(.invalidValue, {null_msg})")
        e.close()
    if not f.is_array and f.elem in ("string", "bytes", "records"):
        write_scalar(e, f.elem, value, buf, compact)  # the writers take optionals
        return
    v = e.fresh("value")
    e.open(f"if let {v} = {value}")
    if not f.is_array and f.elem_is_struct:
        e.line(f"{buf}.writeKafkaInteger(Int8(1))")
    emit_write_nonnull(e, f, v, buf, compact)
    e.close("} else {")
    e.level += 1
    if f.is_array:
        e.line(f"{buf}.writeKafkaArrayCount(nil, compact: {compact})")
    elif f.elem_is_struct:
        e.line(f"{buf}.writeKafkaInteger(Int8(-1))")
    elif f.elem == "uuid":
        e.line(f"{buf}.writeKafkaUUID(.zero)")
    else:
        raise SystemExit(f"cannot write null {f.type}")
    e.close()


def doc_comment(e, text):
    if text:
        e.line(f"/// {text.strip()}")


def emit_struct_body(e, msg, name, fields, ctx, top_level):
    """Properties, inits, decode and encode of one struct."""
    owner = name if top_level else f"{msg.name}.{name}"
    for f in fields:
        doc_comment(e, f.about)
        e.line(f"public var {f.prop}: {swift_type(f)} = {default_expr(f)}")
    e.line("/// Tagged fields this library does not know, kept so they are written back.")
    e.line("public var unknownTaggedFields: [UnknownTaggedField] = []")
    e.line()
    e.line("public init() {}")
    if fields:
        e.line()
        params = ", ".join(f"{f.prop}: {swift_type(f)} = {default_expr(f)}" for f in fields)
        e.open(f"public init({params})")
        for f in fields:
            e.line(f"self.{f.prop} = {f.prop}")
        e.close()

    flex_from = msg.flexible_from
    if flex_from is None:
        flexible = False
    else:
        flexible = cond((flex_from, MAX_VERSION), ctx)
    compact = "flexible" if flexible not in (True, False) else ("true" if flexible else "false")

    # Decoding
    e.line()
    body = Emitter()
    body.level = e.level + 1
    if top_level:
        body.open("guard Self.validVersions.contains(version) else")
        body.line(f'throw ProtocolError(.unsupportedVersion, "{name} does not support version \\(version)")')
        body.close()
    if flexible not in (True, False):
        body.line(f"let flexible = version >= {flex_from}")
    body.line("self.init()")
    for f in fields:
        mv = f.mandatory_versions()
        c = cond(mv, ctx) if mv else False
        if c is False:
            continue
        nc = cond(f.nullable, intersect(mv, ctx)) if f.nullable else False
        if c is not True:
            body.open(f"if {c}")
        emit_read(body, f, f"self.{f.prop}", "buffer", compact, nc, owner)
        if c is not True:
            body.close()
    tctx = intersect(ctx, (flex_from, MAX_VERSION)) if flex_from is not None else None
    tagged = [f for f in fields if tctx and f.tagged_versions() and cond(f.tagged_versions(), tctx) is not False]
    if flexible is not False:
        if flexible is not True:
            body.open("if flexible")
        if tagged:
            body.line("let unknown = try buffer.readTaggedFields { tag, field in")
            body.level += 1
            body.line("switch tag {")
            for f in sorted(tagged, key=lambda f: f.tag):
                tv = f.tagged_versions()
                c = cond(tv, tctx)
                where = "" if c is True else f" where {c}"
                body.line(f"case {f.tag}{where}:")
                body.level += 1
                nc = cond(f.nullable, intersect(tv, tctx)) if f.nullable else False
                emit_read(body, f, f"self.{f.prop}", "field", "true", nc, owner)
                body.line("return true")
                body.level -= 1
            body.line("default:")
            body.line("    return false")
            body.line("}")
            body.close()
        else:
            body.line("let unknown = try buffer.readTaggedFields { _, _ in false }")
        body.line("self.unknownTaggedFields = unknown")
        if flexible is not True:
            body.close()
    e.open("public init(from buffer: inout ByteBuffer, version: Int16) throws")
    e.lines.extend(body.lines)
    e.close()

    # Encoding
    e.line()
    body = Emitter()
    body.level = e.level + 1
    if top_level:
        body.open("guard Self.validVersions.contains(version) else")
        body.line(f'throw ProtocolError(.unsupportedVersion, "{name} does not support version \\(version)")')
        body.close()
    if flexible not in (True, False):
        body.line(f"let flexible = version >= {flex_from}")
    for f in fields:
        mv = f.mandatory_versions()
        c = cond(mv, ctx) if mv else False
        if c is False:
            continue
        nc = cond(f.nullable, intersect(mv, ctx)) if f.nullable else False
        if c is not True:
            body.open(f"if {c}")
        emit_write(body, f, f"self.{f.prop}", "buffer", compact, nc, owner)
        if c is not True:
            body.close()
    if flexible is not False:
        if flexible is not True:
            body.open("if flexible")
        if tagged:
            body.line("var taggedFields: [UnknownTaggedField] = []")
            for f in sorted(tagged, key=lambda f: f.tag):
                tv = f.tagged_versions()
                c = cond(tv, tctx)
                test = differs_from_default(f, f"self.{f.prop}")
                if c is not True:
                    test = f"{c} && {test}"
                body.open(f"if {test}")
                body.line("var tagBuffer = ByteBuffer()")
                nc = cond(f.nullable, intersect(tv, tctx)) if f.nullable else False
                emit_write(body, f, f"self.{f.prop}", "tagBuffer", "true", nc, owner)
                body.line(f"taggedFields.append(UnknownTaggedField(tag: {f.tag}, data: tagBuffer))")
                body.close()
            body.line("buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)")
        else:
            body.line("buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)")
        if flexible is not True:
            body.close()
    e.open("public func encode(to buffer: inout ByteBuffer, version: Int16) throws")
    e.lines.extend(body.lines)
    e.close()


def header(source):
    return [
        f"// GENERATED FILE - DO NOT EDIT. Generated from {source}",
        f"// (Apache Kafka's message definitions, apache/kafka {KAFKA_COMMIT[:12]}) by:",
        f"//     {COMMAND}",
        "",
    ]


def versions_literal(rng):
    return f"{rng[0]}...{rng[1]}"


def generate_message(msg):
    e = Emitter()
    for l in header(f"message/{msg.filename}") + ["import NIOCore", ""]:
        e.lines.append(l)
    if msg.kind == "request":
        conformance = "KafkaRequestMessage"
    elif msg.kind == "response":
        conformance = "KafkaResponseMessage"
    else:
        conformance = "KafkaMessage"
    about = msg.raw.get("about")
    if about:
        doc_comment(e, about)
    e.line(f"/// \"{msg.name}\" (versions {msg.raw['validVersions']}, flexible {msg.raw.get('flexibleVersions', 'none')}).")
    e.open(f"public struct {msg.name}: {conformance}")
    if msg.kind == "request":
        e.line(f"public typealias Response = {msg.name[:-len('Request')]}Response")
    if msg.kind in ("request", "response"):
        api = msg.name[: -len("Request")] if msg.kind == "request" else msg.name[: -len("Response")]
        e.line(f"public static let apiKey: APIKey = .{lower_first(api)}")
    e.line(f"public static let validVersions: ClosedRange<Int16> = {versions_literal(msg.valid)}")
    ff = "nil" if msg.flexible_from is None else str(msg.flexible_from)
    e.line(f"public static let firstFlexibleVersion: Int16? = {ff}")
    e.line()
    emit_struct_body(e, msg, msg.name, msg.fields, msg.valid, True)
    for s in msg.structs.values():
        e.line()
        doc_comment(e, s.about)
        e.open(f"public struct {s.name}: Hashable, Sendable")
        emit_struct_body(e, msg, s.name, s.fields, s.ctx, False)
        e.close()
    e.close()
    return "\n".join(e.lines) + "\n"


def generate_api_keys(requests):
    e = Emitter()
    e.lines.extend(header("every message/*Request.json") + ["import NIOCore", ""])
    e.line("/// A Kafka API key. Unknown keys are representable (a broker must answer them).")
    e.open("public struct APIKey: RawRepresentable, Hashable, Sendable, CustomStringConvertible")
    e.line("public var rawValue: Int16")
    e.line()
    e.open("public init(rawValue: Int16)")
    e.line("self.rawValue = rawValue")
    e.close()
    e.line()
    for r in requests:
        e.line(f"public static let {r['swift']} = APIKey(rawValue: {r['key']})")
    e.line()
    e.line("/// Every API key defined in the message definitions, in key order.")
    e.line("public static let allKnown: [APIKey] = [")
    for r in requests:
        e.line(f"    .{r['swift']},")
    e.line("]")
    e.line()
    e.line("/// The API's name as Kafka spells it (\"Produce\"), or \"Unknown(<key>)\".")
    e.open("public var name: String")
    e.line("switch rawValue {")
    for r in requests:
        e.line(f"case {r['key']}: return \"{r['name']}\"")
    e.line("default: return \"Unknown(\\(rawValue))\"")
    e.line("}")
    e.close()
    e.line()
    e.open("public var isKnown: Bool")
    e.line(f"definedVersions != nil")
    e.close()
    e.line()
    e.line("/// The request's validVersions in its definition, nil for an unknown key.")
    e.open("public var definedVersions: ClosedRange<Int16>?")
    e.line("switch rawValue {")
    for r in requests:
        e.line(f"case {r['key']}: return {versions_literal(r['valid'])}")
    e.line("default: return nil")
    e.line("}")
    e.close()
    e.line()
    e.line("/// Whether this API's request (and response) is flexible at `version`; false for unknown keys.")
    e.open("public func isFlexible(_ version: Int16) -> Bool")
    e.line("switch rawValue {")
    for r in requests:
        if r["flex"] is None:
            e.line(f"case {r['key']}: return false")
        else:
            e.line(f"case {r['key']}: return version >= {r['flex']}")
    e.line("default: return false")
    e.line("}")
    e.close()
    e.line()
    e.line("public var description: String { name }")
    e.close()
    return "\n".join(e.lines) + "\n"


def snake_to_lower_camel(name):
    parts = name.lower().split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def generate_error_codes(tsv_path):
    rows = []
    with open(tsv_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        if not line.strip():
            continue
        cols = line.split("\t")
        cols += [""] * (len(head) - len(cols))
        row = dict(zip(head, cols))
        rows.append((int(row["code"]), row["name"], row["retriable"].strip() == "yes", row["message"]))
    e = Emitter()
    e.lines.extend(header("error-codes.tsv") + [""])
    e.line("/// A Kafka error code. Codes this library does not know are still representable.")
    e.open("public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible")
    e.line("public var rawValue: Int16")
    e.line()
    e.open("public init(rawValue: Int16)")
    e.line("self.rawValue = rawValue")
    e.close()
    e.line()
    for code, name, _, message in rows:
        if message:
            doc_comment(e, message)
        e.line(f"public static let {swift_ident(snake_to_lower_camel(name))} = KafkaErrorCode(rawValue: {code})")
    e.line()
    e.line("/// Kafka's UPPER_SNAKE name (\"UNKNOWN_TOPIC_OR_PARTITION\"), or \"UNKNOWN_CODE_<n>\".")
    e.open("public var name: String")
    e.line("switch rawValue {")
    for code, name, _, _ in rows:
        e.line(f"case {code}: return \"{name}\"")
    e.line("default: return \"UNKNOWN_CODE_\\(rawValue)\"")
    e.line("}")
    e.close()
    e.line()
    e.open("public var isKnown: Bool")
    e.line("switch rawValue {")
    e.line("case " + ", ".join(str(c) for c, _, _, _ in rows) + ": return true")
    e.line("default: return false")
    e.line("}")
    e.close()
    e.line()
    e.line("/// Whether a client may retry the failed request as is.")
    e.open("public var isRetriable: Bool")
    retriable = [str(c) for c, _, r, _ in rows if r]
    e.line("switch rawValue {")
    if retriable:
        e.line("case " + ", ".join(retriable) + ": return true")
    e.line("default: return false")
    e.line("}")
    e.close()
    e.line()
    e.line("/// Kafka's description of the error; empty for NONE and unknown codes.")
    e.open("public var message: String")
    e.line("switch rawValue {")
    for code, _, _, message in rows:
        if message:
            e.line(f"case {code}: return {swift_string_literal(message)}")
    e.line("default: return \"\"")
    e.line("}")
    e.close()
    e.line()
    e.line("public var description: String { \"\\(name)(\\(rawValue))\" }")
    e.close()
    return "\n".join(e.lines) + "\n"


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__.split("What is generated")[0])
    defs = os.path.abspath(argv[1])
    if not os.path.isdir(defs):
        raise SystemExit(f"no definitions directory at {defs}")
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    outputs = {}

    requests = []
    for fn in sorted(os.listdir(defs)):
        if not fn.endswith("Request.json"):
            continue
        raw = load(os.path.join(defs, fn))
        if raw.get("type") != "request":
            continue
        flex = parse_versions(raw.get("flexibleVersions", "none"))
        name = raw["name"][: -len("Request")]
        requests.append({
            "key": raw["apiKey"], "name": name, "swift": swift_ident(lower_first(name)),
            "valid": parse_versions(raw["validVersions"]), "flex": flex[0] if flex else None,
        })
    requests.sort(key=lambda r: r["key"])
    outputs["APIKey.swift"] = generate_api_keys(requests)

    beside = os.path.join(os.path.dirname(defs), "error-codes.tsv")
    outputs["KafkaErrorCode.swift"] = generate_error_codes(beside if os.path.exists(beside) else ERROR_CODES)

    for name in MESSAGES:
        fn = name + ".json"
        msg = Message(load(os.path.join(defs, fn)), fn)
        if msg.name != name:
            raise SystemExit(f"{fn} defines {msg.name}")
        outputs[name + ".swift"] = generate_message(msg)

    changed = 0
    for fn, text in outputs.items():
        if write_if_changed(os.path.join(OUTPUT_DIR, fn), text):
            changed += 1
    print(f"generated {len(outputs)} files in {os.path.relpath(OUTPUT_DIR, REPO_ROOT)} ({changed} changed)")


if __name__ == "__main__":
    main(sys.argv)
