"""Describes the Blocks a program built, identically in MXNet 1.x/2.x and gluonbridge.

This file is not imported as a module: its text is put into a snippet (see ``describe_snippet``)
run in the oracle's or gluonbridge's interpreter, where ``VERSION`` is ``'mx1'`` (legacy API) or
``'mx2'`` (MXNet 2 API) and ``mx`` is the ``mxnet`` (or ``gluonbridge``) module.
:func:`describe_program` runs a program that binds ``models`` (and maybe ``extra``) and describes
them.
"""
import contextlib as _contextlib
import json as _json
import re as _re

_UUID_VAR = r'[0-9a-f]{8}_[0-9a-f]{4}_4[0-9a-f]{3}_[89ab][0-9a-f]{3}_[0-9a-f]{12}_'


def _error(e):
    return {'type': type(e).__name__, 'message': str(e)}


def _shape(p):
    return None if p.shape is None else [int(i) for i in p.shape]


def _children(block):
    for key, child in block._children.items():
        yield key, (child() if VERSION == 'mx2' else child)


def _walk(block, path, out):
    if block is None:
        out.append([path, None] + ([None] if VERSION == 'mx1' else []))
        return
    out.append([path, type(block).__name__] + ([block.prefix] if VERSION == 'mx1' else []))
    for key, child in _children(block):
        _walk(child, path + '.' + key if path else key, out)


def _var_name(p):
    return p.var().name if hasattr(p, 'var') else p.variable_name


def _describe(m):
    d = {'class': type(m).__name__}
    if VERSION == 'mx1':
        d['prefix'], d['name'] = m.prefix, m.name
    blocks = []
    try:
        _walk(m, '', blocks)
        d['blocks'] = blocks
    except Exception as e:
        d['blocks_error'] = _error(e)
    try:
        struct = m._collect_params_with_prefix()
    except Exception as e:
        struct = None
        d['structural_error'] = _error(e)
    try:
        cp = m.collect_params()
    except Exception as e:
        cp = None
        d['params_error'] = _error(e)
    if VERSION == 'mx1':
        if struct is not None:
            d['structural'] = [[k, p.name] for k, p in struct.items()]
        if cp is not None:
            first = {}
            for k, p in (struct or {}).items():
                first.setdefault(id(p), k)
            d['params'] = [[p.name, first.get(id(p)), _shape(p), p.grad_req] for p in cp.values()]
            bad = [n for n, p in cp.items() if n != p.name]
            if bad:
                d['collect_key_not_name'] = bad
    elif cp is not None:
        d['params'] = [[p.name, k, _shape(p), p.grad_req] for k, p in cp.items()]
        d['n_unique_params'] = len({id(p) for p in cp.values()})
        d['var_names_uuid_format'] = all(
            _re.fullmatch(_UUID_VAR + _re.escape(p.name), _var_name(p)) is not None
            for p in cp.values())
    return d


def _save_keys(m):
    """The keys save_parameters writes, plain and deduplicated, in file order."""
    if hasattr(m, 'structural_params'):  # gluonbridge
        return {'keys': list(m.structural_params()),
                'keys_dedup': list(m.structural_params(deduplicate=True))}
    import os, tempfile, zipfile
    out = {}
    m.initialize()
    with tempfile.TemporaryDirectory() as tmp:
        for label, dedup in (('keys', False), ('keys_dedup', True)):
            f = os.path.join(tmp, label + '.params')
            m.save_parameters(f, deduplicate=dedup)
            if zipfile.is_zipfile(f):
                out[label] = [n[:-4] if n.endswith('.npy') else n for n in zipfile.ZipFile(f).namelist()]
            else:
                out[label] = list(mx.nd.load(f).keys())
    return out


def describe_program(source, save=False, fresh_counters=False):
    """Run ``source`` in a fresh namespace (catching what it raises) and describe its models."""
    ns = {'__name__': '__main__'}
    fresh = mx.name.NameManager if fresh_counters and VERSION == 'mx1' else _contextlib.nullcontext
    try:
        with fresh():
            exec(compile(source, '<program>', 'exec'), ns)
    except Exception as e:
        ns['snippet_error'] = _error(e)
    return _describe_namespace(ns, save)


def _describe_namespace(ns, save):
    res = {}
    if 'snippet_error' in ns:
        res['error'] = ns['snippet_error']
    models = ns.get('models')
    if models is not None:
        res['models'] = [_describe(m) for m in models]
        if save:
            res['save'] = []
            for m in models:
                try:
                    res['save'].append(_save_keys(m))
                except Exception as e:
                    res['save'].append({'error': _error(e)})
    if 'extra' in ns:
        res['extra'] = _json.loads(_json.dumps(ns['extra'], default=repr))
    return res
