_clap_complete_knit() {
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${COMP_CWORD}
    local _CLAP_COMPLETE_COMP_TYPE=${COMP_TYPE}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    # Bash splits words at COMP_WORDBREAKS (`=`, `:` ...), but values such as `--sink broker:b`
    # and `--tag @latest=` are one word to knit: split the line up to the cursor at blanks only.
    local _KNIT_LINE="${COMP_LINE:0:COMP_POINT}"
    local words
    IFS=$' \t\n' read -ra words <<< "$_KNIT_LINE"
    [[ -z $_KNIT_LINE || $_KNIT_LINE =~ [[:space:]]$ ]] && words+=("")
    _CLAP_COMPLETE_INDEX=$(( ${#words[@]} - 1 ))
    # Bash replaces only what follows the current word's last `=` or `:`.
    local _KNIT_CUR="${words[_CLAP_COMPLETE_INDEX]}"
    local _KNIT_KEEP="${_KNIT_CUR%"${_KNIT_CUR##*[=:]}"}"
    COMPREPLY=( $( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        COMPLETE="bash" \
        "knit" -- "${words[@]}" \
    ) )
    if [[ $? != 0 ]]; then
        unset COMPREPLY
        return
    fi
    [[ -n $_KNIT_KEEP ]] && COMPREPLY=("${COMPREPLY[@]#"$_KNIT_KEEP"}")
    if [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -o nospace -o bashdefault -o nosort -F _clap_complete_knit knit
else
    complete -o nospace -o bashdefault -F _clap_complete_knit knit
fi

