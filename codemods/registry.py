"""RULES: the one table of every rule, in the order they run over a module.

Rules that delete arguments run before those that read what is left (N5/N6 look for
parameters nothing reads any more), and the ``name_scope`` unwrapping runs last among the
naming rules so that the other rules' warnings point at lines of the file as it was read.
Rule ids the spec lists as "unchanged" (N10, S5, D6) are in the table but never run (see
:mod:`.unchanged`).
"""
from .collect_params import (InitializeOnBlock, NameDependentSelection, PrefixedNameReads,
                             ResetDeviceOnBlock, SelectedParametersLoop, SetattrOnBlock,
                             ZeroGradOnBlock)
from .construction import ContribToNn, SuperInitArguments
from .device import ContextToDevice
from .forward import (DeferredShapesInForward, ForwardOps, FUsedBeyondOps,
                      HybridForwardToForward, InjectedParameters, NumpyArrays)
from .naming_prefix import DropPrefixArgument, ForwardedPrefix, PrefixRead
from .naming_scope import DropNameScopeItem, UnwrapOtherNameScope, UnwrapSelfNameScope
from .naming_unused import UnusedBlockInitParameter, UnusedHelperParameter
from .recurrent import PerGateRecurrentParameters
from .parameters import (DeferredShape, ParameterDictUse, ParamsGetComputedName,
                         ParamsGetConstant, ParamsGetOtherName, ParamsGetSameName,
                         ParamsLookup, ParamsSharing)
from .save_load import (CheckpointsAcrossVersions, DeprecatedSaveLoad,
                        LoadDictThroughBlock, LoadThroughBlock, SaveThroughBlock,
                        TrainerStates)
from .unchanged import SaveLoadParameters, StructuralSelection, TrainerOverParameters

RULES = (
    # construction and prefixes
    SuperInitArguments,             # B1
    ContribToNn,                    # B2
    DropPrefixArgument,             # N4
    ForwardedPrefix,                # N7
    PrefixRead,                     # N8
    # parameters
    ParamsGetSameName,              # P1
    ParamsGetOtherName,             # P2
    ParamsGetComputedName,          # P5
    ParamsGetConstant,              # P3
    ParamsLookup,                   # P4
    ParamsSharing,                  # P6
    ParameterDictUse,               # P7
    DeferredShape,                  # P8
    # collect_params helpers, selections, saving and loading
    InitializeOnBlock,              # D1
    SetattrOnBlock,                 # D2
    ResetDeviceOnBlock,             # D3
    ZeroGradOnBlock,                # D4
    SelectedParametersLoop,         # D5
    TrainerOverParameters,          # D6 (unchanged)
    PrefixedNameReads,              # N9
    StructuralSelection,            # N10 (unchanged)
    NameDependentSelection,         # N11
    SaveThroughBlock,               # S1
    LoadThroughBlock,               # S2
    LoadDictThroughBlock,           # S3
    DeprecatedSaveLoad,             # S4
    SaveLoadParameters,             # S5 (unchanged)
    CheckpointsAcrossVersions,      # S6 (dual only)
    TrainerStates,                  # S7
    PerGateRecurrentParameters,     # P9
    # what became dead, then the scopes
    UnusedHelperParameter,          # N5
    UnusedBlockInitParameter,       # N6
    DropNameScopeItem,              # N3
    UnwrapOtherNameScope,           # N2
    UnwrapSelfNameScope,            # N1
    # opt-in: forward
    NumpyArrays,                    # B3
    ForwardOps,                     # F2
    InjectedParameters,             # F3
    FUsedBeyondOps,                 # F4
    DeferredShapesInForward,        # F5
    HybridForwardToForward,         # F1
    # opt-in: device
    ContextToDevice,                # B4
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
if not (len(RULES_BY_ID) == len(RULES)):
    raise AssertionError("duplicate rule id")
