//! Types and values of claim arguments, and their canonical byte encoding.
//!
//! Every value travels as `bytes` (inside claims, to verifiers, in calldata).
//! The encoding is chosen so Solidity can take it apart with `abi.decode`:
//!
//! | type | encoding |
//! |---|---|
//! | `uint256` | 32 bytes, big-endian (`abi.encode(uint256)`) |
//! | `address` | 12 zero bytes then the 20 address bytes (`abi.encode(address)`) |
//! | `bytes32` | the 32 bytes |
//! | `bool` | 31 zero bytes then `0x00` or `0x01` (`abi.encode(bool)`) |
//! | `bytes` | the bytes themselves |
//! | struct, tuple, `T[]` | `abi.encode(bytes[] elements)`, each element encoded by this table |
//!
//! Decoding is strict: anything that is not exactly what [`Value::encode`]
//! produces for the expected type is rejected, so each value of a type has one
//! byte string.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolValue;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// A struct type: a name and ordered, typed fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StructType {
    /// Type name (structs are compared by name and fields).
    pub name: String,
    /// Fields in ABI order.
    pub fields: Vec<(String, Type)>,
}

impl StructType {
    /// Position of a field.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(n, _)| n == name)
    }
}

/// The type of a claim argument.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `address`: 20 bytes.
    Address,
    /// `bytes32`
    Bytes32,
    /// `uint256`
    Uint256,
    /// `bytes`: any length.
    Bytes,
    /// `bool`
    Bool,
    /// `T[]`
    Array(Box<Type>),
    /// `(T1, T2, …)`
    Tuple(Vec<Type>),
    /// A named struct.
    Struct(Arc<StructType>),
}

impl Type {
    /// The type of element `i` of a composite type, if it has one.
    pub fn element(&self, i: usize) -> Option<&Type> {
        match self {
            Type::Array(t) => Some(t),
            Type::Tuple(ts) => ts.get(i),
            Type::Struct(s) => s.fields.get(i).map(|(_, t)| t),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Address => f.write_str("address"),
            Type::Bytes32 => f.write_str("bytes32"),
            Type::Uint256 => f.write_str("uint256"),
            Type::Bytes => f.write_str("bytes"),
            Type::Bool => f.write_str("bool"),
            Type::Array(t) => write!(f, "{t}[]"),
            Type::Tuple(ts) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Type::Struct(s) => f.write_str(&s.name),
        }
    }
}

/// A decoded value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Value {
    /// A `uint256`.
    Uint(U256),
    /// An `address`.
    Address(Address),
    /// A `bytes32`.
    Bytes32(B256),
    /// A `bool`.
    Bool(bool),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// A struct, tuple or array: its elements in order.
    List(Vec<Value>),
}

/// Why bytes are not a canonical value of a type.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Wrong length for a fixed-size type.
    #[error("a {ty} value is 32 bytes, got {len}")]
    Length {
        /// Expected type.
        ty: String,
        /// Actual length.
        len: usize,
    },
    /// Padding bytes that must be zero are not.
    #[error("a {0} value has non-zero padding")]
    Padding(String),
    /// A composite value is not `abi.encode(bytes[])`.
    #[error("not a canonical abi.encode(bytes[]) list")]
    List,
    /// A tuple or struct has the wrong number of elements.
    #[error("{ty} has {expected} elements, got {got}")]
    Arity {
        /// Expected type.
        ty: String,
        /// Expected count.
        expected: usize,
        /// Actual count.
        got: usize,
    },
}

impl Value {
    /// The canonical encoding (see the module docs).
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Value::Uint(u) => u.to_be_bytes::<32>().to_vec(),
            Value::Address(a) => a.into_word().to_vec(),
            Value::Bytes32(b) => b.to_vec(),
            Value::Bool(b) => {
                let mut w = [0u8; 32];
                w[31] = u8::from(*b);
                w.to_vec()
            }
            Value::Bytes(b) => b.clone(),
            Value::List(vs) => encode_list(vs.iter().map(Value::encode).collect()),
        }
    }

    /// Decodes a canonical encoding of type `ty`.
    pub fn decode(ty: &Type, bytes: &[u8]) -> Result<Value, ValueError> {
        let word = |bytes: &[u8]| -> Result<[u8; 32], ValueError> {
            bytes.try_into().map_err(|_| ValueError::Length {
                ty: ty.to_string(),
                len: bytes.len(),
            })
        };
        Ok(match ty {
            Type::Uint256 => Value::Uint(U256::from_be_bytes(word(bytes)?)),
            Type::Bytes32 => Value::Bytes32(B256::from(word(bytes)?)),
            Type::Address => {
                let w = word(bytes)?;
                if w[..12].iter().any(|b| *b != 0) {
                    return Err(ValueError::Padding(ty.to_string()));
                }
                Value::Address(Address::from_slice(&w[12..]))
            }
            Type::Bool => {
                let w = word(bytes)?;
                if w[..31].iter().any(|b| *b != 0) || w[31] > 1 {
                    return Err(ValueError::Padding(ty.to_string()));
                }
                Value::Bool(w[31] == 1)
            }
            Type::Bytes => Value::Bytes(bytes.to_vec()),
            Type::Array(t) => {
                let parts = decode_list(bytes)?;
                Value::List(
                    parts
                        .iter()
                        .map(|p| Value::decode(t, p))
                        .collect::<Result<_, _>>()?,
                )
            }
            Type::Tuple(_) | Type::Struct(_) => {
                let parts = decode_list(bytes)?;
                let n = match ty {
                    Type::Tuple(ts) => ts.len(),
                    Type::Struct(s) => s.fields.len(),
                    _ => 0,
                };
                if parts.len() != n {
                    return Err(ValueError::Arity {
                        ty: ty.to_string(),
                        expected: n,
                        got: parts.len(),
                    });
                }
                let mut out = Vec::with_capacity(n);
                for (i, p) in parts.iter().enumerate() {
                    let et = ty.element(i).ok_or(ValueError::List)?;
                    out.push(Value::decode(et, p)?);
                }
                Value::List(out)
            }
        })
    }

    /// Renders the value in claim-language syntax, using the type for struct field names.
    pub fn display(&self, ty: Option<&Type>) -> String {
        match (self, ty) {
            (Value::Uint(u), _) => u.to_string(),
            (Value::Address(a), _) => format!("{a:#x}"),
            (Value::Bytes32(b), _) => format!("{b:#x}"),
            (Value::Bool(b), _) => b.to_string(),
            (Value::Bytes(b), _) => format!("0x{}", hex::encode(b)),
            (Value::List(vs), Some(Type::Struct(s))) if s.fields.len() == vs.len() => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .zip(vs)
                    .map(|((n, t), v)| format!("{n}: {}", v.display(Some(t))))
                    .collect();
                format!("{} {{ {} }}", s.name, fields.join(", "))
            }
            (Value::List(vs), Some(Type::Tuple(ts))) if ts.len() == vs.len() => {
                let v: Vec<String> = vs.iter().zip(ts).map(|(v, t)| v.display(Some(t))).collect();
                format!("({})", v.join(", "))
            }
            (Value::List(vs), ty) => {
                let et = match ty {
                    Some(Type::Array(t)) => Some(&**t),
                    _ => None,
                };
                let v: Vec<String> = vs.iter().map(|v| v.display(et)).collect();
                format!("[{}]", v.join(", "))
            }
        }
    }

    /// The value as a `uint256`, if it is one.
    pub fn as_uint(&self) -> Option<U256> {
        match self {
            Value::Uint(u) => Some(*u),
            _ => None,
        }
    }
}

/// `abi.encode(bytes[] parts)`.
pub fn encode_list(parts: Vec<Vec<u8>>) -> Vec<u8> {
    let parts: Vec<alloy_primitives::Bytes> = parts.into_iter().map(Into::into).collect();
    parts.abi_encode()
}

/// Strict inverse of [`encode_list`]: rejects any non-canonical layout.
pub fn decode_list(bytes: &[u8]) -> Result<Vec<Vec<u8>>, ValueError> {
    let parts = <Vec<alloy_primitives::Bytes>>::abi_decode(bytes).map_err(|_| ValueError::List)?;
    let parts: Vec<Vec<u8>> = parts.into_iter().map(|b| b.to_vec()).collect();
    if encode_list(parts.clone()) != bytes {
        return Err(ValueError::List);
    }
    Ok(parts)
}
